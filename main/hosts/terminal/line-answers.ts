// Answers from a stream that is not a terminal (a pipe, a file): one line each.
// The stream is read only while an answer is awaited, so at most a few lines are
// ever held here. Lines stay bytes (never a string): each read chunk is zeroed
// once split, and a line handed out is the caller's to zero.
import type { Readable } from 'node:stream';
import { answerBytes } from '../../protocol';
import type { AnswerSource } from './answers';
import type { PromptShown } from './report';

/**
 * A line longer than this is cut here (it is refused as an answer anyway, PAM
 * takes at most 512 bytes), so an endless line cannot exhaust memory.
 */
const MAX_LINE_BYTES = 64 * 1024;

interface Waiter {
  resolve: (line: Buffer | null) => void;
}

export class LineAnswers implements AnswerSource {
  readonly #input: Readable;
  readonly #lines: Buffer[] = [];
  #partial: Buffer[] = [];
  #partialBytes = 0;
  #ended = false;
  #waiter: Waiter | undefined;

  constructor(input: Readable) {
    this.#input = input;
    input.pause();
    input.on('data', this.#onData);
    input.on('end', this.#onEnd);
    // A read error (EIO on a vanished terminal, ...) ends the input like EOF.
    input.on('error', this.#onEnd);
  }

  read(_prompt: PromptShown, signal: AbortSignal, show: () => void): Promise<Buffer | null> {
    if (signal.aborted) return Promise.reject(signal.reason);
    show();
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#ended) return Promise.resolve(null);
    return new Promise<Buffer | null>((resolve, reject) => {
      const onAbort = () => {
        this.#waiter = undefined;
        this.#input.pause();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiter = {
        resolve: (value) => {
          signal.removeEventListener('abort', onAbort);
          this.#waiter = undefined;
          resolve(value);
        },
      };
      this.#input.resume();
    });
  }

  close(): void {
    this.#input.off('data', this.#onData);
    this.#input.off('end', this.#onEnd);
    this.#input.off('error', this.#onEnd);
    this.#input.pause();
    for (const chunk of this.#partial) chunk.fill(0);
    this.#partial = [];
    for (const line of this.#lines) line.fill(0);
    this.#lines.length = 0;
    this.#ended = true;
    this.#waiter?.resolve(null);
  }

  readonly #onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let newline = bytes.indexOf(0x0a); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
      this.#append(bytes.subarray(start, newline));
      this.#lines.push(this.#takeLine());
      start = newline + 1;
    }
    this.#append(bytes.subarray(start));
    bytes.fill(0);
    this.#deliver();
  };

  readonly #onEnd = (): void => {
    if (this.#ended) return;
    // A last line without a newline still counts.
    if (this.#partialBytes > 0) this.#lines.push(this.#takeLine());
    this.#ended = true;
    this.#deliver();
  };

  #append(bytes: Buffer): void {
    const room = MAX_LINE_BYTES - this.#partialBytes;
    if (room <= 0 || bytes.length === 0) return;
    const kept = answerBytes(Math.min(room, bytes.length));
    bytes.copy(kept, 0, 0, kept.length);
    this.#partial.push(kept);
    this.#partialBytes += kept.length;
  }

  #takeLine(): Buffer {
    // Not concat (it may carve small results out of Node's shared pool), nor a
    // small Buffer.alloc (V8 keeps it in its heap, and copies it out later).
    const bytes = answerBytes(this.#partialBytes);
    let offset = 0;
    for (const chunk of this.#partial) {
      chunk.copy(bytes, offset);
      offset += chunk.length;
      chunk.fill(0);
    }
    this.#partial = [];
    this.#partialBytes = 0;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    if (end < bytes.length) bytes[end] = 0;
    return bytes.subarray(0, end);
  }

  #deliver(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) {
      // Nobody is waiting: stop reading until somebody is.
      if (this.#lines.length > 0) this.#input.pause();
      return;
    }
    const line = this.#lines.shift();
    if (line !== undefined) waiter.resolve(line);
    else if (this.#ended) waiter.resolve(null);
    else return;
    this.#input.pause();
  }
}
