// The frames gatehouse-passwd-pty (pty-helper.c) speaks on its stdin and stdout:
// one type byte, a 4-byte big-endian length, the bytes.

export type HelperFrame =
  /** Output of the program on its terminal. */
  | { type: 'output'; bytes: Buffer }
  /** Output has paused; whether the terminal echoes input now. */
  | { type: 'quiet'; echo: boolean }
  /** An answer was not written: the terminal's echo flag was not as expected. */
  | { type: 'refused' }
  /** The program ended: "exit N" or "signal N". */
  | { type: 'exited'; status: string };

/** The most an answer may be (the addon's limit for PAM answers too). */
export const MAX_ANSWER_BYTES = 512;
/** Larger frames are not the helper's. */
const MAX_FRAME = 1 << 20;

export class FrameReader {
  #buffer: Buffer = Buffer.alloc(0);

  /** Adds bytes from the helper; returns the frames now complete. Throws on a malformed frame. */
  push(chunk: Buffer): HelperFrame[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: HelperFrame[] = [];
    while (this.#buffer.length >= 5) {
      const length = this.#buffer.readUInt32BE(1);
      if (length > MAX_FRAME) throw new Error('the pty helper sent a frame too large to be one');
      if (this.#buffer.length < 5 + length) break;
      const type = String.fromCharCode(this.#buffer[0]!);
      const body = Buffer.from(this.#buffer.subarray(5, 5 + length));
      this.#buffer = this.#buffer.subarray(5 + length);
      frames.push(decode(type, body));
    }
    return frames;
  }
}

function decode(type: string, body: Buffer): HelperFrame {
  switch (type) {
    case 'o':
      return { type: 'output', bytes: body };
    case 'q':
      return { type: 'quiet', echo: body.toString('latin1') === '1' };
    case 'r':
      return { type: 'refused' };
    case 'x':
      return { type: 'exited', status: body.toString('latin1') };
    default:
      throw new Error(`the pty helper sent a frame of unknown type ${JSON.stringify(type)}`);
  }
}

/**
 * The 'a' frame for an answer: the echo flag the prompt had, then the answer's
 * bytes. The caller writes it and then wipes it (fill(0)). Undefined for answers
 * that cannot be typed at a terminal: NUL or a line break inside, or too long.
 */
export function answerFrame(answer: string | Uint8Array, echo: boolean): Buffer | undefined {
  const bytes = typeof answer === 'string' ? Buffer.from(answer, 'utf8') : Buffer.from(answer);
  const typeable = bytes.length <= MAX_ANSWER_BYTES && !bytes.includes(0) && !bytes.includes(0x0a) && !bytes.includes(0x0d);
  if (!typeable) {
    bytes.fill(0);
    return undefined;
  }
  const frame = Buffer.alloc(6 + bytes.length);
  frame[0] = 'a'.charCodeAt(0);
  frame.writeUInt32BE(1 + bytes.length, 1);
  frame[5] = echo ? 0x31 : 0x30;
  bytes.copy(frame, 6);
  bytes.fill(0);
  return frame;
}
