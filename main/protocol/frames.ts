// Length-prefixed JSON frames on a byte stream: a 32-bit unsigned length in the
// host's byte order, then that many bytes of UTF-8 JSON. It is greetd's IPC
// framing (greetd-ipc(7)), and the engine daemon's socket (`gatehouse engine`)
// uses it too, so one decoder serves both. Both ends always share one host, so
// the native byte order is the only one there is.
//
// A length over the reader's limit is refused before a byte of the body is
// read: the stream cannot be trusted after that, and the reader closes it.
import { endianness } from 'node:os';
import { encodeSecretJson, parseSecretJson } from './secret-json';

const HEADER_BYTES = 4;
const LITTLE_ENDIAN = endianness() === 'LE';

/** The largest valid protocol request in JSON (an answer of 512 bytes, each written as a \u escape, and the envelope). */
export const MAX_REQUEST_FRAME_BYTES = 4 * 1024;

/**
 * The frame for `value` (JSON; an answer's bytes, a Uint8Array, written as a
 * JSON string without becoming a JS string: secret-json.ts).
 */
export function encodeFrame(value: unknown): Buffer {
  const body = encodeSecretJson(value);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  if (LITTLE_ENDIAN) frame.writeUInt32LE(body.length, 0);
  else frame.writeUInt32BE(body.length, 0);
  body.copy(frame, HEADER_BYTES);
  // The body may hold an answer: the copy in the frame is the only one left.
  body.fill(0);
  return frame;
}

/** One decoded frame: its JSON value, or why it is not JSON (the payload itself is never quoted). */
export type Frame = { ok: true; value: unknown } | { ok: false; problem: string };

export class FrameTooLargeError extends Error {
  constructor(readonly length: number, readonly limit: number) {
    super(`a frame of ${length} bytes is over the limit of ${limit} bytes`);
    this.name = 'FrameTooLargeError';
  }
}

/**
 * Splits a byte stream into frames. Bytes are kept only until their frame is
 * complete; then they are parsed and wiped (a frame may carry an answer).
 */
export class FrameDecoder {
  readonly #limit: number;
  readonly #secretKey: string | null;
  #chunks: Buffer[] = [];
  #buffered = 0;

  /**
   * `secretKey`: the top-level field read as bytes, never a JS string (the
   * engine daemon's requests: `value`, an answer); none for frames that carry no
   * answer (events, greetd's responses).
   */
  constructor(limit: number, secretKey?: string) {
    this.#limit = limit;
    this.#secretKey = secretKey ?? null;
  }

  /** Bytes received but not yet a whole frame. */
  get pending(): number {
    return this.#buffered;
  }

  /**
   * Takes the next bytes and returns every frame they complete. Throws
   * FrameTooLargeError as soon as a header announces too long a body.
   */
  push(chunk: Buffer): Frame[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.#buffered < HEADER_BYTES) break;
      const header = this.#peek(HEADER_BYTES);
      const length = LITTLE_ENDIAN ? header.readUInt32LE(0) : header.readUInt32BE(0);
      if (length > this.#limit) {
        this.discard();
        throw new FrameTooLargeError(length, this.#limit);
      }
      if (this.#buffered < HEADER_BYTES + length) break;
      const bytes = this.#take(HEADER_BYTES + length);
      frames.push(parse(bytes.subarray(HEADER_BYTES), this.#secretKey));
      bytes.fill(0);
    }
    return frames;
  }

  /** Drops (and wipes) whatever is buffered. */
  discard(): void {
    for (const chunk of this.#chunks) chunk.fill(0);
    this.#chunks = [];
    this.#buffered = 0;
  }

  #peek(count: number): Buffer {
    const first = this.#chunks[0]!;
    if (first.length >= count) return first.subarray(0, count);
    return Buffer.concat(this.#chunks, count);
  }

  #take(count: number): Buffer {
    const whole = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    if (this.#chunks.length > 1) for (const chunk of this.#chunks) chunk.fill(0);
    const taken = Buffer.from(whole.subarray(0, count));
    const rest = whole.subarray(count);
    whole.subarray(0, count).fill(0);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#buffered = rest.length;
    return taken;
  }
}

function parse(body: Buffer, secretKey: string | null): Frame {
  // The parser's failure says nothing of the input, which may hold an answer.
  const value = parseSecretJson(body, secretKey);
  return value === undefined ? { ok: false, problem: 'the frame is not JSON' } : { ok: true, value };
}
