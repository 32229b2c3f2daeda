// Flow mode: `gatehouse check --flow login|unlock|elevate` runs one whole flow of
// the engine, exactly as a UI would drive it (hello, begin, one answer per prompt),
// with the engine's events reported as they come. The end of the input cancels
// the flow; so do Ctrl-C and SIGTERM. A fail delay the engine announces is
// waited out before the check ends: the engine enforces it only for its own next
// attempt, and this process's engine has none. A lockout's delay is reported but
// not waited out: the lock is kept in the state directory, where the next
// check's engine finds it.
import type { Engine, EngineObserver, FlowOutcome } from '../../auth/api';
import { OUTCOME_CODES, request, type Event, type Mode, type RequestOf } from '../../protocol';
import { answerPrompt, EndOfInputError, type ConversationIo } from './pam-conversation';
import type { CheckOutcome } from './report';
import { wait } from './wait';

export interface FlowRequest {
  mode: Mode;
  /** login: the user to log in (otherwise PAM's own prompt asks). */
  user?: string;
  /** login: the id of the configured session to start. */
  session?: string;
  /**
   * Begin again after a failed attempt, until one succeeds, is cancelled, or the
   * engine says no further attempt follows (`final`). The failures are reported
   * on the way (their PAM results, the engine's messages).
   */
  retry?: boolean;
  /** elevate: picks who confirms when the engine offers several users and fixes none. */
  chooseUser?(users: { name: string; displayName?: string }[], signal: AbortSignal): Promise<string>;
}

export type EngineFactory = (observer: EngineObserver) => Engine;

/** After a cancel, how long the engine may take to report the flow's end. */
const CANCEL_GRACE_MS = 10_000;

export async function runFlow(
  flow: FlowRequest,
  startEngine: EngineFactory,
  io: ConversationIo,
  signal: AbortSignal,
): Promise<CheckOutcome> {
  const events = new EventQueue();
  // Aborted as soon as the engine ends the flow, so that a read still waiting
  // for a prompt the engine has given up on (prompt timeout) stops at once.
  let flowOver = new AbortController();
  let flowOutcome: FlowOutcome | undefined;
  /** Why a remote engine went away, if it did. */
  let lost: string | undefined;
  const engine = startEngine({
    event(e) {
      if (e.type === 'outcome') flowOver.abort(new Error('the flow is over'));
      events.push(e);
    },
    result(result) {
      io.report.result(result);
    },
    outcome(outcome) {
      flowOutcome = outcome;
    },
    closed(reason) {
      lost = reason;
      io.warn(`gatehouse check: ${reason}`);
      events.push(undefined);
    },
  });

  let cancelSent = false;
  const cancel = () => {
    if (cancelSent) return;
    cancelSent = true;
    engine.receive(request({ type: 'cancel' }));
    // An engine that fails to report the end must not hang the check.
    setTimeout(() => events.push(undefined), CANCEL_GRACE_MS).unref();
  };
  const onInterrupt = () => cancel();
  signal.addEventListener('abort', onInterrupt, { once: true });
  let reading = AbortSignal.any([signal, flowOver.signal]);
  let delayUntil = 0;
  let begin: RequestOf<'begin'> | undefined;

  try {
    engine.receive(request({ type: 'hello' }));
    for (;;) {
      const e = await events.next();
      if (e === undefined && lost !== undefined) return { ok: false, code: OUTCOME_CODES.internal, reason: lost };
      if (e === undefined) return { ok: false, code: OUTCOME_CODES.cancelled, reason: 'the engine did not end the flow' };
      switch (e.type) {
        case 'context': {
          let user = flow.mode === 'login' ? flow.user : undefined;
          if (flow.chooseUser !== undefined && e.mode === 'elevate' && e.user === undefined && e.users.length > 1) {
            try {
              user = await flow.chooseUser(e.users, reading);
            } catch (error) {
              if (reading.aborted) break;
              if (!(error instanceof EndOfInputError)) throw error;
              io.warn('gatehouse: the input ended; cancelling');
              cancel();
              break;
            }
          }
          begin = request({
            type: 'begin',
            ...(user === undefined ? {} : { user }),
            ...(flow.session === undefined ? {} : { session: flow.session }),
          });
          engine.receive(begin);
          break;
        }
        case 'prompt': {
          if (reading.aborted) break;
          try {
            const value = await answerPrompt({ id: e.id, style: e.style, text: e.text }, io, reading);
            engine.receive(request({ type: 'answer', id: e.id, value }));
          } catch (error) {
            if (error instanceof EndOfInputError) {
              io.warn('gatehouse check: the input ended; cancelling the flow');
              cancel();
            } else if (!reading.aborted) {
              throw error;
            }
          }
          break;
        }
        case 'message':
          io.report.message(e.kind, e.text);
          break;
        case 'delay':
          io.report.delay(e.until - Date.now());
          if (e.reason === 'fail-delay') delayUntil = Math.max(delayUntil, e.until);
          break;
        case 'refused':
          io.warn(`gatehouse check: the engine refused ${e.request ?? 'a request'}: ${e.message}`);
          // A refused begin means no flow runs (a delay, a lockout); a refused
          // cancel, that the flow cannot be stopped now: close() ends it.
          if (e.request === 'begin') return { ok: false, code: OUTCOME_CODES.notAllowed, reason: e.message };
          if (e.request === 'cancel') return { ok: false, code: OUTCOME_CODES.cancelled, reason: e.message };
          break;
        case 'outcome': {
          const code = flowOutcome?.code ?? e.code ?? (e.ok ? 'PAM_SUCCESS' : OUTCOME_CODES.internal);
          await wait(delayUntil - Date.now(), signal);
          if (flow.retry === true && !e.ok && e.final !== true && code !== OUTCOME_CODES.cancelled && !signal.aborted && begin !== undefined) {
            // Another attempt, on a fresh read: the engine ended the last one.
            flowOver = new AbortController();
            reading = AbortSignal.any([signal, flowOver.signal]);
            engine.receive(begin);
            break;
          }
          return { ok: e.ok, code, reason: e.reason };
        }
        case 'phase':
        case 'busy':
          break;
      }
    }
  } finally {
    signal.removeEventListener('abort', onInterrupt);
    await engine.close();
  }
}

/** The engine's events, taken one at a time; undefined means "stop waiting". */
class EventQueue {
  readonly #items: (Event | undefined)[] = [];
  #waiter: ((e: Event | undefined) => void) | undefined;

  push(e: Event | undefined): void {
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter(e);
    } else {
      this.#items.push(e);
    }
  }

  next(): Promise<Event | undefined> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift());
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }
}
