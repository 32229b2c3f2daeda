// The terminal's raw mode, entered only while a prompt is being answered and
// always left again: on every normal path, and from the signal handlers and the
// process's 'exit' event (uncaught errors, process.exit) through restore().
import type { ReadStream } from 'node:tty';

export class RawMode {
  readonly #input: ReadStream;
  #on = false;

  constructor(input: ReadStream) {
    this.#input = input;
  }

  get on(): boolean {
    return this.#on;
  }

  enter(): void {
    if (this.#on) return;
    process.on('exit', this.restore);
    this.#input.setRawMode(true);
    this.#on = true;
  }

  /** Puts the terminal back in the mode it had before enter(). Safe to call any time. */
  readonly restore = (): void => {
    process.off('exit', this.restore);
    if (!this.#on) return;
    this.#on = false;
    try {
      this.#input.setRawMode(false);
    } catch {
      // The terminal is gone (hangup): there is nothing left to restore.
    }
  };
}
