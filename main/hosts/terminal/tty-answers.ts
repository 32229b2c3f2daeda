// Answers typed at a terminal. Each prompt is read in raw mode with a minimal line
// editor, so that echo-off prompts are never echoed and the terminal is restored
// however the read ends. Keys: Enter ends the answer; Backspace and Ctrl-U edit;
// Ctrl-D on an empty line is end of input; Ctrl-C interrupts the whole check (raw
// mode turns off the terminal's own signal keys, so the editor reports it).
import type { ReadStream } from 'node:tty';
import { answerBytes, copyToAnswerBytes } from '../../protocol';
import type { AnswerSource } from './answers';
import { RawMode } from './raw-mode';
import type { PromptShown } from './report';

const ENTER = 0x0d;
const NEWLINE = 0x0a;
const BACKSPACE = 0x08;
const DELETE = 0x7f;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_U = 0x15;
const ESCAPE = 0x1b;

/** No answer is longer than this (PAM takes 512 bytes); keys beyond it are ignored. */
const MAX_ANSWER_INPUT = 4096;

export interface TtyAnswersOptions {
  input: ReadStream;
  /** The terminal's output: echo of echo-on answers and the end of each line. */
  echo: (text: string) => void;
  /** Ctrl-C was pressed. */
  onInterrupt: () => void;
}

export class TtyAnswers implements AnswerSource {
  readonly #input: ReadStream;
  readonly #echo: (text: string) => void;
  readonly #onInterrupt: () => void;
  readonly #rawMode: RawMode;
  /** Keys typed ahead of the next prompt (a paste of several lines). */
  #typedAhead: Buffer = Buffer.alloc(0);

  constructor(options: TtyAnswersOptions) {
    this.#input = options.input;
    this.#echo = options.echo;
    this.#onInterrupt = options.onInterrupt;
    this.#rawMode = new RawMode(options.input);
    this.#input.pause();
  }

  read(prompt: PromptShown, signal: AbortSignal, show: () => void): Promise<Buffer | null> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const echoOn = prompt.style !== 'echo-off';
    const answer = new TypedAnswer();
    return new Promise<Buffer | null>((resolve, reject) => {
      const finish = (result: { line: Buffer | null } | { error: unknown }) => {
        this.#input.off('data', onData);
        signal.removeEventListener('abort', onAbort);
        this.#input.pause();
        this.#rawMode.restore();
        answer.wipe();
        if ('error' in result) reject(result.error);
        else resolve(result.line);
      };
      const onAbort = () => {
        this.#echo('\r\n');
        finish({ error: signal.reason });
      };
      const onData = (chunk: Buffer | string) => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        const done = this.#edit(bytes, answer, echoOn);
        bytes.fill(0);
        // Bytes, never a string: the caller zeroes them once used.
        if (done === 'line') finish({ line: copyToAnswerBytes(answer.bytes()) });
        else if (done === 'eof') finish({ line: null });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#rawMode.enter();
      show();
      this.#input.on('data', onData);
      if (this.#typedAhead.length > 0) {
        const ahead = this.#typedAhead;
        this.#typedAhead = Buffer.alloc(0);
        onData(ahead);
      }
      if (this.#rawMode.on) this.#input.resume();
    });
  }

  close(): void {
    this.#input.pause();
    this.#rawMode.restore();
    this.#typedAhead.fill(0);
    this.#typedAhead = Buffer.alloc(0);
  }

  /** Applies keys to the answer being typed; says whether the answer is complete. */
  #edit(bytes: Buffer, answer: TypedAnswer, echoOn: boolean): 'line' | 'eof' | undefined {
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      switch (byte) {
        case ENTER:
        case NEWLINE:
          this.#echo('\r\n');
          // Whatever follows the line (a multi-line paste) is for the next prompt.
          this.#typedAhead = copyToAnswerBytes(bytes.subarray(i + 1));
          return 'line';
        case CTRL_D:
          if (answer.length === 0) {
            this.#echo('\r\n');
            return 'eof';
          }
          break;
        case CTRL_C:
          // The interrupt aborts this read; the rest of the keys are not an answer.
          this.#onInterrupt();
          return undefined;
        case BACKSPACE:
        case DELETE: {
          if (answer.length === 0) break;
          // Remove one whole UTF-8 character: its continuation bytes, then its lead byte.
          while (answer.length > 0 && (answer.last() & 0xc0) === 0x80) answer.pop();
          answer.pop();
          if (echoOn) this.#echo('\b \b');
          break;
        }
        case CTRL_U:
          if (echoOn) this.#echo('\b \b'.repeat(characterCount(answer.bytes())));
          answer.clear();
          break;
        case ESCAPE:
          i = skipEscapeSequence(bytes, i);
          break;
        default:
          // Other control keys mean nothing here.
          if (byte < 0x20 || answer.length >= MAX_ANSWER_INPUT) break;
          answer.push(byte);
          if (echoOn) this.#echoTyped(bytes, i);
      }
    }
    return undefined;
  }

  // Echo a typed character once it is complete (the last byte of a UTF-8 sequence).
  #echoTyped(bytes: Buffer, i: number): void {
    const next = bytes[i + 1];
    if (next !== undefined && (next & 0xc0) === 0x80) return;
    let start = i;
    while (start > 0 && (bytes[start]! & 0xc0) === 0x80) start--;
    this.#echo(bytes.toString('utf8', start, i + 1));
  }
}

function characterCount(bytes: Uint8Array): number {
  let count = 0;
  for (const b of bytes) if ((b & 0xc0) !== 0x80) count++;
  return count;
}

/**
 * The answer being typed, in one off-heap buffer of the largest size (a JS array
 * would leave copies of the keys behind each time it grows).
 */
class TypedAnswer {
  readonly #buffer = answerBytes(MAX_ANSWER_INPUT);
  length = 0;

  push(byte: number): void {
    this.#buffer[this.length++] = byte;
  }

  pop(): void {
    if (this.length > 0) this.#buffer[--this.length] = 0;
  }

  last(): number {
    return this.#buffer[this.length - 1] ?? 0;
  }

  clear(): void {
    this.#buffer.fill(0, 0, this.length);
    this.length = 0;
  }

  /** The typed bytes (a view: copy before wiping). */
  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.length);
  }

  wipe(): void {
    this.#buffer.fill(0);
    this.length = 0;
  }
}

/** Index of the last byte of the escape sequence (arrow keys, F-keys) starting at `i`. */
function skipEscapeSequence(bytes: Buffer, i: number): number {
  const kind = bytes[i + 1];
  if (kind === 0x5b /* [ */) {
    let j = i + 2;
    while (j < bytes.length && (bytes[j]! < 0x40 || bytes[j]! > 0x7e)) j++;
    return Math.min(j, bytes.length - 1);
  }
  if (kind === 0x4f /* O */) return Math.min(i + 2, bytes.length - 1);
  return Math.min(i + 1, bytes.length - 1);
}
