// The conversation broker: turns each PAM conversation batch into protocol events
// and gathers the UI's answers for it.
//
// - info / error messages become `message` events; a batch of nothing else is
//   answered at once (one null per message), so the module goes on.
// - prompts become `prompt` events sharing one batch id; each has its own id. The
//   module gets the batch's answers only when every prompt of it is answered.
// - binary prompts (Linux-PAM's binary protocol) cannot be shown: the whole batch
//   is refused, which the module sees as PAM_CONV_ERR.
// - a batch not fully answered within the prompt timeout is reported to the
//   flow (`onTimeout`), which aborts the transaction or fails the batch.
// - a complete batch may be vetted before the module gets it (`vet`: the
//   lockout looks at the name PAM asked for before PAM goes on).
// - answers given as bytes are zeroed once the addon has copied them (or once
//   they are dropped), so that no copy of them is left in this process.
import type { Answer, Conversation, PamMessage } from '../../native';
import { event } from '../protocol';
import type { Event, EventOf } from '../protocol';

export interface BrokerOptions {
  /** Milliseconds a prompt batch may stay unanswered (0: no limit). */
  promptTimeoutMs: number;
  emit(event: Event): void;
  /** A batch id never used before by this engine. */
  nextBatchId(): string;
  /** A prompt batch went unanswered for promptTimeoutMs. */
  onTimeout(): void;
  /**
   * Looks at a completely answered batch before the module gets it; false fails
   * the conversation instead (the flow has been stopped by then).
   */
  vet?(prompts: PromptMessage[], answers: Answer[]): Promise<boolean>;
  log(entry: Record<string, unknown>): void;
}

export type AnswerResult = 'accepted' | 'not-pending';

/** An answer as the engine takes it: UTF-8 bytes (zeroed after use) or a string. */
export type AnswerValue = string | Uint8Array;

/** A prompt of a batch, as the module sent it (for `vet`). */
export interface PromptMessage {
  slot: number;
  style: PromptStyle;
  text: string;
}

interface OpenPrompt {
  /** Position of the prompt in the PAM batch (and so of its answer). */
  slot: number;
  event: EventOf<'prompt'>;
}

interface PendingBatch {
  answers: Answer[];
  prompts: PromptMessage[];
  open: Map<string, OpenPrompt>;
  resolve(answers: Answer[]): void;
  reject(reason: unknown): void;
  timer: NodeJS.Timeout | undefined;
}

const PROMPT_STYLES = new Set(['echo-on', 'echo-off', 'radio']);

type PromptStyle = EventOf<'prompt'>['style'];

function isPrompt(message: PamMessage): message is PamMessage & { style: PromptStyle } {
  return PROMPT_STYLES.has(message.style);
}

function messageEvent(m: PamMessage): EventOf<'message'> {
  return event({ type: 'message', kind: m.style === 'error' ? 'error' : 'info', text: m.text });
}

export class BinaryPromptRefused extends Error {
  constructor() {
    super('a module sent a binary prompt, which this engine does not answer');
    this.name = 'BinaryPromptRefused';
  }
}

export class ConversationBroker {
  readonly #options: BrokerOptions;
  #pending: PendingBatch | undefined;

  constructor(options: BrokerOptions) {
    this.#options = options;
  }

  /** The conversation function handed to PamTransaction.start. */
  readonly conversation: Conversation = (messages, ctx) => this.#converse(messages, ctx.signal);

  /** True while a prompt batch waits for answers. */
  get waiting(): boolean {
    return this.#pending !== undefined;
  }

  /**
   * Records the answer to one pending prompt. When it was the last one of its
   * batch, the batch goes to the module and `busy` is announced.
   */
  answer(id: string, value: AnswerValue): AnswerResult {
    const batch = this.#pending;
    const prompt = batch?.open.get(id);
    if (batch === undefined || prompt === undefined) return 'not-pending';
    batch.open.delete(id);
    batch.answers[prompt.slot] = value;
    if (batch.open.size > 0) return 'accepted';
    this.#settle(batch);
    const answers = batch.answers;
    const vetting = this.#options.vet?.(batch.prompts, answers);
    if (vetting === undefined) {
      this.#handOver(batch);
    } else {
      vetting.then(
        (ok) => (ok ? this.#handOver(batch) : this.#drop(batch, new Error('the answers were withheld'))),
        (error: unknown) => this.#drop(batch, error),
      );
    }
    this.#options.emit(event({ type: 'busy' }));
    return 'accepted';
  }

  /** The unanswered prompts, for a UI that (re)connects mid-flow. */
  pendingPrompts(): EventOf<'prompt'>[] {
    return [...(this.#pending?.open.values() ?? [])].map((p) => p.event);
  }

  /** Fails the waiting batch, if any: the module gets PAM_CONV_ERR and goes on. */
  failPending(reason: unknown): void {
    const batch = this.#pending;
    if (batch === undefined) return;
    this.#settle(batch);
    this.#drop(batch, reason);
  }

  /** The module gets the batch. The binding copies the answers (and zeroes byte answers) at once. */
  #handOver(batch: PendingBatch): void {
    const answers = batch.answers;
    batch.resolve(answers);
    // The binding copies the answers into wiped native buffers as soon as the
    // conversation settles (before any timer runs); then let go of ours.
    setImmediate(() => wipeAnswers(answers));
  }

  #drop(batch: PendingBatch, reason: unknown): void {
    wipeAnswers(batch.answers);
    batch.reject(reason);
  }

  #converse(messages: PamMessage[], signal: AbortSignal): Answer[] | Promise<Answer[]> {
    if (messages.some((m) => m.style === 'binary')) {
      this.#options.log({ event: 'binary-prompt-refused', messages: messages.length });
      throw new BinaryPromptRefused();
    }
    const answers: Answer[] = messages.map(() => null);
    const count = messages.filter(isPrompt).length;
    if (count === 0) {
      for (const m of messages) this.#options.emit(messageEvent(m));
      return answers;
    }
    const batchId = this.#options.nextBatchId();
    let resolve!: (answers: Answer[]) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<Answer[]>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const batch: PendingBatch = { answers, prompts: [], open: new Map(), resolve, reject, timer: undefined };
    // The batch is registered before its events go out: a UI may answer from
    // inside the event callback.
    let index = 0;
    const events: Event[] = [];
    messages.forEach((m, slot) => {
      if (!isPrompt(m)) {
        events.push(messageEvent(m));
        return;
      }
      const prompt = event({
        type: 'prompt',
        id: `${batchId}.${index}`,
        batch: batchId,
        index,
        count,
        style: m.style,
        text: m.text,
      });
      index += 1;
      batch.open.set(prompt.id, { slot, event: prompt });
      batch.prompts.push({ slot, style: m.style, text: m.text });
      events.push(prompt);
    });
    this.#pending = batch;
    signal.addEventListener('abort', () => this.#pending === batch && this.failPending(signal.reason), {
      once: true,
    });
    if (this.#options.promptTimeoutMs > 0) {
      batch.timer = setTimeout(() => {
        if (this.#pending === batch) this.#options.onTimeout();
      }, this.#options.promptTimeoutMs);
    }
    for (const e of events) {
      if (this.#pending !== batch && e.type === 'prompt') break; // answered or failed meanwhile
      this.#options.emit(e);
    }
    return promise;
  }

  #settle(batch: PendingBatch): void {
    clearTimeout(batch.timer);
    if (this.#pending === batch) this.#pending = undefined;
  }
}

/** Zeroes the answers given as bytes and lets go of every answer. */
export function wipeAnswers(answers: Answer[]): void {
  for (const answer of answers) if (answer instanceof Uint8Array) answer.fill(0);
  answers.fill(null);
}
