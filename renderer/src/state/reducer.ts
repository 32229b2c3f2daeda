// The pure function from (state, event or UI step) to the next screen state.
// Rules that shape what a person sees:
// - messages are shown the moment they arrive and kept until the user answers again;
//   an error message never ends anything, only `outcome` does;
// - the prompts of one batch are collected by batch id and index;
// - after a failed flow the UI tries again by itself only if the user took part in
//   it (see Restart), and what happens after an outcome depends on the mode.
import { CANCELLED } from '../protocol';
import type { EventOf } from '../protocol';
import type { Action } from './actions';
import { promptKind } from './prompt-kind';
import { initialScreenState, type BatchView, type MessageView, type PromptView, type ScreenState } from './screen-state';

/** How many module messages stay on screen (the oldest go first). */
export const MAX_MESSAGES = 8;

export function reduce(state: ScreenState, action: Action): ScreenState {
  switch (action.type) {
    case 'context':
      return onContext(state, action);
    case 'prompt':
      return onPrompt(state, action);
    case 'message':
      return onMessage(state, action);
    case 'phase':
      return {
        ...state,
        phase: action.name,
        flow: running(state),
        // The engine asks for the new password again (a mismatch, a refusal).
        changeRetries: action.name === 'change-password' && state.phase === 'change-password' ? state.changeRetries + 1 : state.changeRetries,
        // 'done' comes right before the outcome: the phase before it is where a failure happened.
        ...(action.name === 'done' ? { failedIn: state.phase } : {}),
      };
    case 'busy':
      // Sent at begin and after each answered batch; the UI knows the latter itself
      // (ui/answered), so "checking" is never shown before the user answered anything.
      return { ...state, flow: running(state) };
    case 'delay':
      return { ...state, delay: { until: action.until, reason: action.reason } };
    case 'outcome':
      return onOutcome(state, action);
    case 'refused':
      return onRefused(state, action);

    case 'ui/connection':
      return action.status === 'open'
        ? { ...state, connection: 'open' }
        : // Prompts are resent after hello on the next connection; the old ones cannot be answered.
          { ...state, connection: action.status, batch: undefined, awaitingEngine: false };
    case 'ui/begin':
      return {
        ...state,
        flow: 'starting',
        subject: { user: action.user, session: action.session },
        phase: undefined,
        batch: undefined,
        awaitingEngine: false,
        cancelling: false,
        refusal: undefined,
        answeredThisAttempt: false,
        answeredSecretThisAttempt: false,
        changeRetries: 0,
        typedWhileWaiting: false,
        lastSession: action.session ?? state.lastSession,
        // A fresh start from the list: what was said before (a failed power action) is stale.
        ...(state.flow === 'idle' ? { messages: [], outcome: undefined, failedIn: undefined } : {}),
      };
    case 'ui/answered':
      if (state.batch?.id !== action.batch) return state;
      return {
        ...state,
        answeredPrompts: state.batch.prompts,
        batch: undefined,
        awaitingEngine: true,
        messages: [],
        outcome: undefined,
        failedIn: undefined,
        refusal: undefined,
        answeredThisAttempt: true,
        answeredSecretThisAttempt:
          state.answeredSecretThisAttempt || state.batch.prompts.some((p) => promptKind(p) === 'secret'),
        typedWhileWaiting: false,
      };
    case 'ui/cancel':
      return { ...state, cancelling: true };
    case 'ui/back':
      return { ...toIdle(state), outcome: undefined, messages: [], refusal: undefined };
    case 'ui/decline':
      return { ...toIdle(state), flow: 'closed', outcome: undefined, messages: [], refusal: undefined };
    case 'ui/power':
      // A new request: an earlier one's failure is no longer news.
      return { ...state, messages: [], refusal: undefined };
    case 'ui/typed-while-waiting':
      return state.typedWhileWaiting ? state : { ...state, typedWhileWaiting: true };
  }
}

function running(state: ScreenState): ScreenState['flow'] {
  return state.flow === 'starting' ? 'running' : state.flow;
}

function toIdle(state: ScreenState): ScreenState {
  return {
    ...state,
    flow: 'idle',
    subject: {},
    phase: undefined,
    batch: undefined,
    answeredPrompts: [],
    awaitingEngine: false,
    cancelling: false,
    answeredThisAttempt: false,
  };
}

function onContext(previous: ScreenState, event: EventOf<'context'>): ScreenState {
  const { v: _version, type: _type, running: flowRunning, ...context } = event;
  // A new request on the same connection (a polkit agent's next one): start over.
  const request = context.elevate?.request;
  const state =
    request !== undefined && request !== previous.context?.elevate?.request
      ? { ...initialScreenState, connection: previous.connection, nextSeq: previous.nextSeq }
      : previous;
  return {
    ...state,
    connection: 'open',
    context,
    // A reconnection in the middle of a flow: its pending prompts follow.
    flow: flowRunning ? 'running' : state.flow === 'closed' ? 'closed' : 'idle',
    phase: undefined,
    batch: undefined,
    answeredPrompts: flowRunning ? state.answeredPrompts : [],
    awaitingEngine: false,
    cancelling: false,
  };
}

function onPrompt(state: ScreenState, event: EventOf<'prompt'>): ScreenState {
  const prompt: PromptView = { id: event.id, index: event.index, style: event.style, text: event.text };
  const current = state.batch?.id === event.batch ? state.batch : undefined;
  const batch: BatchView = {
    id: event.batch,
    count: event.count,
    prompts: [...(current?.prompts ?? []).filter((p) => p.index !== event.index), prompt].sort((a, b) => a.index - b.index),
  };
  return {
    ...state,
    flow: 'running',
    batch,
    answeredPrompts: [],
    awaitingEngine: false,
    typedWhileWaiting: false,
  };
}

function onMessage(state: ScreenState, event: EventOf<'message'>): ScreenState {
  const message: MessageView = { seq: state.nextSeq, kind: event.kind, text: event.text };
  return {
    ...state,
    flow: running(state),
    messages: [...state.messages, message].slice(-MAX_MESSAGES),
    nextSeq: state.nextSeq + 1,
  };
}

function onOutcome(state: ScreenState, event: EventOf<'outcome'>): ScreenState {
  const outcome = {
    ok: event.ok,
    reason: event.reason,
    ...(event.code === undefined ? {} : { code: event.code }),
    ...(event.final === true ? { final: true } : {}),
  };
  const ended = {
    ...state,
    batch: undefined,
    awaitingEngine: false,
    cancelling: false,
    phase: undefined,
    outcome,
    failedIn: event.ok ? undefined : state.failedIn,
  };
  const mode = state.context?.mode;
  const cancelled = !event.ok && event.code === CANCELLED;

  if (mode === 'login') {
    // A login flow that succeeded has run its session to the end; a cancelled one
    // went back to the user list. Either way the greeter starts over.
    if (event.ok || cancelled) return { ...toIdle(ended), outcome: cancelled ? undefined : outcome };
    return { ...ended, flow: 'ended', restart: state.answeredThisAttempt ? 'auto' : 'manual' };
  }
  if (event.ok) return { ...ended, flow: 'closed', answeredPrompts: [] };
  // No further attempt (an elevation's attempts are used up): the screen's work is over.
  if (event.final === true) return { ...ended, flow: 'closed', answeredPrompts: [] };
  if (cancelled) {
    // elevate: the user declined; unlock: the user asked to start the attempt over.
    return mode === 'elevate'
      ? { ...ended, flow: 'closed', answeredPrompts: [] }
      : { ...ended, flow: 'ended', restart: 'auto', outcome: undefined, answeredPrompts: [] };
  }
  return { ...ended, flow: 'ended', restart: state.answeredThisAttempt ? 'auto' : 'manual' };
}

function onRefused(state: ScreenState, event: EventOf<'refused'>): ScreenState {
  const next = { ...state, refusal: event.message };
  // A refused begin (e.g. still inside a delay) must not be retried in a loop.
  if (event.request === 'begin' && state.flow === 'starting') return { ...next, flow: 'ended', restart: 'manual' };
  if (event.request === 'cancel') return { ...next, cancelling: false };
  return next;
}
