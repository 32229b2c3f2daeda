// Flow mode: `gatehouse check --flow login|unlock|elevate` runs one whole flow of
// the engine, exactly as a UI would drive it (hello, begin, one answer per prompt),
// with the engine's events reported as they come. The end of the input cancels
// the flow; so do Ctrl-C and SIGTERM. A delay the engine announces (fail delay,
// lockout) is waited out before the check ends: the engine enforces it only for
// its own next attempt, and this process's engine has none.
import type { Engine, EngineObserver, FlowOutcome } from '../../auth/api';
import { OUTCOME_CODES, request, type Event, type Mode } from '../../protocol';
import { answerPrompt, EndOfInputError, type ConversationIo } from './pam-conversation';
import type { CheckOutcome } from './report';
import { wait } from './wait';

export interface FlowRequest {
  mode: Mode;
  /** login: the user to log in (otherwise PAM's own prompt asks). */
  user?: string;
  /** login: the id of the configured session to start. */
  session?: string;
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
  const flowOver = new AbortController();
  let flowOutcome: FlowOutcome | undefined;
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
  const reading = AbortSignal.any([signal, flowOver.signal]);
  let delayUntil = 0;

  try {
    engine.receive(request({ type: 'hello' }));
    for (;;) {
      const e = await events.next();
      if (e === undefined) return { ok: false, code: OUTCOME_CODES.cancelled, reason: 'the engine did not end the flow' };
      switch (e.type) {
        case 'context':
          engine.receive(
            request({
              type: 'begin',
              ...(flow.mode === 'login' && flow.user !== undefined ? { user: flow.user } : {}),
              ...(flow.session === undefined ? {} : { session: flow.session }),
            }),
          );
          break;
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
          delayUntil = Math.max(delayUntil, e.until);
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
