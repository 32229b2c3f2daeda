// What `gatehouse check` tells its user, whatever the format: the conversation
// (prompts, module messages, fail delays) and the results of the PAM calls.
// Nothing reported ever contains an answer.
import type { CallResult } from '../../auth/api';

export type PromptStyle = 'echo-on' | 'echo-off' | 'radio';

export interface PromptShown {
  id: string;
  style: PromptStyle;
  text: string;
}

export interface CheckOutcome {
  ok: boolean;
  /** 'PAM_SUCCESS', the PAM code name of the first failure, or one of the engine's OUTCOME_CODES. */
  code: string;
  /** Readable English, for the text format. */
  reason?: string;
}

export interface CheckReport {
  /** A prompt about to be answered from the input. */
  prompt(prompt: PromptShown): void;
  /** An info or error message from a module. */
  message(kind: 'info' | 'error', text: string): void;
  /** No new attempt for this long (a module's fail delay, or a lockout). */
  delay(ms: number): void;
  /** One PAM call and how it ended. */
  result(result: CallResult): void;
  /** The end: everything asked for succeeded, or not. */
  outcome(outcome: CheckOutcome): void;
}
