// Where `gatehouse check` gets the answer to each prompt: one line of input per
// prompt, from a terminal (echo handled per prompt) or from any other stream.
import type { PromptShown } from './report';

export interface AnswerSource {
  /**
   * The answer to `prompt`: the next line of input without its line ending, as
   * bytes the caller owns (and zeroes once used), or null once the input has ended. Calls `show` (which displays the prompt) once
   * the input is ready for the answer: a terminal has echo turned off first, so
   * that nothing typed right after the prompt appears can be echoed. Rejects with
   * the signal's reason if `signal` aborts first; a line typed after that goes to
   * the next prompt.
   */
  read(prompt: PromptShown, signal: AbortSignal, show: () => void): Promise<Buffer | null>;
  /** Stops reading and puts the input back as it was (a terminal's mode included). */
  close(): void;
}
