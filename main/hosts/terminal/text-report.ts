// `gatehouse check` without --json: the conversation as a person at a terminal
// expects it (prompt texts, module messages), then one line per PAM call.
import type { CallResult } from '../../auth/api';
import type { CheckOutcome, CheckReport, PromptShown } from './report';

export interface TextReportSinks {
  /** Where prompts and module messages go (the terminal when there is one). */
  conversation: (text: string) => void;
  /** Where results and the outcome go (stdout). */
  results: (text: string) => void;
  /**
   * True when the answer source does not end the prompt's line itself (input is
   * not a terminal, so nothing echoes the Enter key).
   */
  promptEndsLine: boolean;
  /** What result lines start with (default `gatehouse check`). */
  label?: string;
}

export class TextReport implements CheckReport {
  readonly #sinks: TextReportSinks;

  constructor(sinks: TextReportSinks) {
    this.#sinks = sinks;
  }

  prompt(prompt: PromptShown): void {
    this.#sinks.conversation(printable(prompt.text) + (this.#sinks.promptEndsLine ? '\n' : ''));
  }

  message(_kind: 'info' | 'error', text: string): void {
    const shown = printable(text);
    this.#sinks.conversation(shown.endsWith('\n') ? shown : `${shown}\n`);
  }

  delay(ms: number): void {
    this.#sinks.conversation(`(waiting ${(ms / 1000).toFixed(1)} s: no new attempt is allowed before)\n`);
  }

  result(result: CallResult): void {
    const text = result.ok ? 'ok' : `${printable(result.message)} (${result.code})`;
    this.#sinks.results(`${this.#label}: ${result.op}: ${text}\n`);
  }

  outcome(outcome: CheckOutcome): void {
    const text = outcome.ok
      ? 'everything succeeded'
      : `failed: ${outcome.code}${outcome.reason === undefined ? '' : ` (${printable(outcome.reason)})`}`;
    this.#sinks.results(`${this.#label}: ${text}\n`);
  }

  get #label(): string {
    return this.#sinks.label ?? 'gatehouse check';
  }
}

// Module texts go to a terminal: control characters (other than newline and
// tab) are shown escaped so that no text can move the cursor or retitle the window.
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
