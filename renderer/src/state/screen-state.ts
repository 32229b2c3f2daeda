// What the screen shows, as one value: derived from protocol events and from what
// the UI itself sent, by the pure reducer in reducer.ts. It never holds an answer
// to a prompt: those live in the DOM inputs until they are sent, then nowhere.
import type { ConnectionStatus } from '../bridge/connection';
import type { ContextEvent, PhaseName, PromptStyle } from '../protocol';

/** The parts of the `context` event that stay the same for the whole connection. */
export type ScreenContext = Omit<ContextEvent, 'v' | 'type' | 'running'>;

export interface PromptView {
  id: string;
  index: number;
  style: PromptStyle;
  /** The module's text, shown as sent. */
  text: string;
}

/** The prompts of one PAM conversation call, answered together. */
export interface BatchView {
  id: string;
  /** How many prompts the batch has; it can be answered once all have arrived. */
  count: number;
  /** Sorted by index. */
  prompts: PromptView[];
}

export interface MessageView {
  /** Position in the conversation, for ordering and React keys. */
  seq: number;
  kind: 'info' | 'error';
  text: string;
}

export interface OutcomeView {
  ok: boolean;
  code?: string;
  /** The engine's English text, shown as sent beside the UI's own words. */
  reason: string;
  /** No further attempt follows. */
  final?: boolean;
}

export type FlowStatus =
  /** No flow. Login: the user picks a name; unlock and elevate begin at once. */
  | 'idle'
  /** `begin` was sent; nothing came back yet. */
  | 'starting'
  /** A flow runs: prompts, messages, busy. */
  | 'running'
  /** The last flow failed; `restart` says what comes next. */
  | 'ended'
  /** Nothing more to do on this screen: unlocked, approved, or the request was declined. */
  | 'closed';

/**
 * After a failed flow: 'auto' begins again once any delay has passed; 'manual'
 * waits for the user (a flow that failed without asking anything would otherwise
 * loop, e.g. a pam_faillock lock in front of the password prompt).
 */
export type Restart = 'auto' | 'manual';

export interface ScreenState {
  connection: ConnectionStatus;
  context?: ScreenContext;
  flow: FlowStatus;
  restart: Restart;
  /** What the last `begin` asked for (login: the user and session to try again with). */
  subject: { user?: string; session?: string };
  phase?: PhaseName;
  /** The prompts waiting for answers. */
  batch?: BatchView;
  /**
   * The prompts answered last, kept (texts only) so the form stays in place,
   * disabled, while the engine checks the answers or a fail delay runs.
   */
  answeredPrompts: PromptView[];
  /** The engine took the answers and modules are running. */
  awaitingEngine: boolean;
  /** The user asked to cancel; the engine's outcome has not come yet. */
  cancelling: boolean;
  /** What the modules said since the user last answered. */
  messages: MessageView[];
  /** No new attempt before `until` (ms since the epoch). */
  delay?: { until: number; reason: 'fail-delay' | 'lockout' };
  /** How the last flow ended, shown until the user answers again. */
  outcome?: OutcomeView;
  /** The phase the last flow was in when it ended (a failed password change is said so). */
  failedIn?: PhaseName;
  /** Why the engine refused the UI's last request. */
  refusal?: string;
  /** The user answered at least one prompt in the current attempt. */
  answeredThisAttempt: boolean;
  /** A secret other than a one-time code (a password) was answered in this attempt: a code is its second step. */
  answeredSecretThisAttempt: boolean;
  /** How many times the password change started over in this attempt (a mismatch, a refused password). */
  changeRetries: number;
  /** Keys were typed while the answered form waited (checking, fail delay): they were not kept. */
  typedWhileWaiting: boolean;
  /** login: the session chosen last, kept when the person goes back to the list. */
  lastSession?: string;
  nextSeq: number;
}

export const initialScreenState: ScreenState = {
  connection: 'connecting',
  flow: 'idle',
  restart: 'manual',
  subject: {},
  answeredPrompts: [],
  awaitingEngine: false,
  cancelling: false,
  messages: [],
  answeredThisAttempt: false,
  answeredSecretThisAttempt: false,
  changeRetries: 0,
  typedWhileWaiting: false,
  nextSeq: 0,
};
