// `gatehouse check --json`: exactly one JSON object per line on stdout, in the
// order things happened. The shapes are a public contract (scripts and tests
// read them); keep them as they are.
import type { CallResult } from '../../auth/api';
import type { CheckOutcome, CheckReport, PromptShown } from './report';

export class JsonReport implements CheckReport {
  readonly #write: (line: string) => void;

  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  prompt(prompt: PromptShown): void {
    this.#line({ event: 'prompt', id: prompt.id, style: prompt.style, text: prompt.text });
  }

  message(kind: 'info' | 'error', text: string): void {
    this.#line({ event: 'message', kind, text });
  }

  delay(ms: number): void {
    this.#line({ event: 'delay', ms: Math.max(0, Math.round(ms)) });
  }

  result(result: CallResult): void {
    this.#line({
      event: 'result',
      op: result.op,
      ok: result.ok,
      code: result.code,
      errno: result.errno,
      message: result.message,
    });
  }

  outcome(outcome: CheckOutcome): void {
    this.#line({ event: 'outcome', ok: outcome.ok, code: outcome.code });
  }

  // JSON.stringify escapes newlines inside strings, so a module text can never
  // break the one-object-per-line framing.
  #line(value: Record<string, unknown>): void {
    this.#write(`${JSON.stringify(value)}\n`);
  }
}
