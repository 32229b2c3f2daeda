// The engine behind `gatehouse askpass` (SUDO_ASKPASS): no PAM at all. sudo runs
// PAM itself and only needs the answer to its prompt; this engine speaks the same
// protocol as the real one, so the same UI asks the question, and hands the
// answer to `deliver` (which writes it to sudo's pipe) exactly once.
import { randomUUID } from 'node:crypto';
import type { Engine, EngineObserver, FlowOutcome } from '../auth/api';
import { event, OUTCOME_CODES, wipeByteAnswer, type Event, type Request, type RequestRefusal } from '../protocol';

export interface AskpassOptions {
  /** The prompt sudo passed in argv, e.g. "[sudo] password for alice: ". */
  prompt: string;
  /** Who asks, as shown (the parent process' name, normally sudo). */
  program: string;
  locale: string;
  theme: string;
  /**
   * Hands the answer (UTF-8 bytes) over; false when it could not be delivered.
   * Called at most once. The bytes are zeroed when it returns.
   */
  deliver(answer: Uint8Array): boolean;
  now?: () => number;
}

export class AskpassEngine implements Engine {
  readonly mode = 'elevate' as const;
  readonly #options: AskpassOptions;
  readonly #observer: EngineObserver;
  readonly #now: () => number;
  #pending: { id: string; batch: string; startedAt: number } | undefined;
  #answered = false;
  #closed = false;

  constructor(options: AskpassOptions, observer: EngineObserver) {
    this.#options = options;
    this.#observer = observer;
    this.#now = options.now ?? Date.now;
  }

  get busy(): boolean {
    return this.#pending !== undefined;
  }

  receive(value: Request): void {
    if (this.#closed) {
      wipeByteAnswer(value);
      return;
    }
    switch (value.type) {
      case 'hello':
        this.#emit(
          event({
            type: 'context',
            mode: 'elevate',
            users: [],
            sessions: [],
            power: [],
            elevate: { action: 'Answer a password prompt', program: this.#options.program },
            locale: this.#options.locale,
            theme: this.#options.theme,
            running: this.#pending !== undefined,
          }),
        );
        if (this.#pending !== undefined) this.#emit(this.#promptEvent(this.#pending));
        return;
      case 'begin':
        if (this.#answered) return this.#refuse('begin', 'the prompt has been answered');
        if (this.#pending !== undefined) return this.#refuse('begin', 'a flow is already running');
        if (value.user !== undefined || value.session !== undefined) {
          return this.#refuse('begin', 'the user cannot be chosen here');
        }
        this.#pending = { id: randomUUID(), batch: randomUUID(), startedAt: this.#now() };
        this.#emit(event({ type: 'phase', name: 'authenticate' }));
        this.#emit(this.#promptEvent(this.#pending));
        return;
      case 'answer': {
        const pending = this.#pending;
        if (pending === undefined || value.id !== pending.id) {
          wipeByteAnswer(value);
          return this.#refuse('answer', 'no prompt with this id is pending');
        }
        this.#pending = undefined;
        this.#answered = true;
        this.#emit(event({ type: 'busy' }));
        // A string answer (the preload sends bytes) is copied into Node's off-heap pool, zeroed below.
        const bytes = typeof value.value === 'string' ? Buffer.from(value.value, 'utf8') : value.value;
        let delivered: boolean;
        try {
          delivered = this.#options.deliver(bytes);
        } finally {
          bytes.fill(0);
        }
        // Only sudo knows whether the answer was right: the outcome says it was handed over, no more.
        this.#finish(pending, delivered ? { ok: true, code: OUTCOME_CODES.handedOver, reason: 'the answer was handed to the program that asked' } : {
          ok: false,
          code: OUTCOME_CODES.internal,
          reason: 'the answer could not be handed to the caller',
        });
        return;
      }
      case 'cancel': {
        const pending = this.#pending;
        if (pending === undefined) return this.#refuse('cancel', 'no flow is running');
        this.#pending = undefined;
        this.#finish(pending, { ok: false, code: OUTCOME_CODES.cancelled, reason: 'cancelled' });
        return;
      }
      case 'power':
        return this.#refuse('power', 'power actions belong to the login screen');
    }
  }

  refuse(refusal: RequestRefusal): void {
    if (this.#closed) return;
    this.#refuse(refusal.type, `invalid request: ${refusal.error}`);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#pending = undefined;
  }

  #promptEvent(pending: { id: string; batch: string }): Event {
    return event({
      type: 'prompt',
      id: pending.id,
      batch: pending.batch,
      index: 0,
      count: 1,
      style: 'echo-off',
      text: this.#options.prompt,
    });
  }

  #finish(pending: { startedAt: number }, result: { ok: boolean; code: string; reason: string }): void {
    if (result.ok) this.#emit(event({ type: 'phase', name: 'done' }));
    this.#emit(event({ type: 'outcome', ...result }));
    const outcome: FlowOutcome = { mode: 'elevate', ...result, durationMs: this.#now() - pending.startedAt };
    this.#observer.outcome?.(outcome);
  }

  #refuse(request: string | undefined, message: string): void {
    this.#emit(event({ type: 'refused', ...(request === undefined ? {} : { request }), message }));
  }

  #emit(value: Event): void {
    this.#observer.event(value);
  }
}
