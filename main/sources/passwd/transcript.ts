// What passwd shows on its terminal, turned into PAM conversation batches: the
// lines it printed, then the prompt it waits at. Pure: passwd-run.ts feeds it the
// helper's frames.
//
// A prompt is the text after the last line break once output has paused: at once
// when the terminal stopped echoing (a password prompt), after a grace period
// when it echoes (a visible prompt; passwd has none, but its PAM stack may).
// passwd prints PAM's info and error messages alike, so the kind of a line is
// told by where it stands, not by its words (which are translated): lines before
// a prompt asked again ("BAD PASSWORD: ...", "Sorry, passwords do not match.")
// say why it is asked again, and are errors; lines at the end of a failed run are
// errors; every other line is information.
import type { PamMessage } from '../../../native';

export class PasswdTranscript {
  #text = '';
  readonly #asked = new Set<string>();
  #prompts = 0;

  /** Prompts shown so far. */
  get prompts(): number {
    return this.#prompts;
  }

  /** Output from the terminal (line ends \r\n or \n). */
  output(text: string): void {
    this.#text += text.replace(/\r/g, '');
  }

  /** Whether the output ends in text that could be a prompt. */
  get pendingPrompt(): boolean {
    return this.#partial().trim() !== '';
  }

  /**
   * Output has paused at a prompt: the batch to show (the lines since the last
   * prompt, then the prompt), or undefined when the output ends with a line break.
   */
  prompt(echo: boolean): PamMessage[] | undefined {
    const prompt = this.#partial();
    if (prompt.trim() === '') return undefined;
    const again = this.#asked.has(prompt);
    const lines = this.#lines(this.#text.slice(0, this.#text.length - prompt.length));
    this.#asked.add(prompt);
    this.#prompts++;
    this.#text = '';
    return [...lines.map((text): PamMessage => ({ style: again ? 'error' : 'info', text })), { style: echo ? 'echo-on' : 'echo-off', text: prompt }];
  }

  /** The run is over: what is left, as information after a success, as errors after a failure. */
  finish(ok: boolean): PamMessage[] {
    const lines = this.#lines(this.#text);
    this.#text = '';
    return lines.map((text) => ({ style: ok ? 'info' : 'error', text }));
  }

  #partial(): string {
    return this.#text.slice(this.#text.lastIndexOf('\n') + 1);
  }

  #lines(text: string): string[] {
    return text.split('\n').filter((line) => line.trim() !== '');
  }
}
