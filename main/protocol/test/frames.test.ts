// Length-prefixed JSON frames: split anywhere, refused when too long, never
// quoting what could not be parsed, wiped once parsed.
import { endianness } from 'node:os';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FrameTooLargeError, MAX_REQUEST_FRAME_BYTES } from '../frames';

const header = (length: number) => {
  const bytes = Buffer.alloc(4);
  if (endianness() === 'LE') bytes.writeUInt32LE(length);
  else bytes.writeUInt32BE(length);
  return bytes;
};

describe('encodeFrame', () => {
  it('writes the UTF-8 length in the host’s byte order, then the JSON', () => {
    const frame = encodeFrame({ type: 'hello', text: 'é' });
    const json = '{"type":"hello","text":"é"}';
    expect(frame.subarray(0, 4)).toEqual(header(Buffer.byteLength(json)));
    expect(frame.subarray(4).toString('utf8')).toBe(json);
  });

  it('refuses what has no JSON form', () => {
    expect(() => encodeFrame(undefined)).toThrow(TypeError);
  });

  it('writes an answer given as bytes as the JSON string of its text, escaping what JSON must', () => {
    const text = 'pä"ss\\wörd\n\u0001\u007f€';
    const frame = encodeFrame({ v: 1, type: 'answer', id: 'b1.0', value: new TextEncoder().encode(text) });
    const [decoded] = new FrameDecoder(MAX_REQUEST_FRAME_BYTES).push(frame);
    expect(decoded).toEqual({ ok: true, value: { v: 1, type: 'answer', id: 'b1.0', value: text } });
    // A Buffer too (its toJSON would make it an object of numbers).
    const [fromBuffer] = new FrameDecoder(MAX_REQUEST_FRAME_BYTES).push(encodeFrame({ value: Buffer.from(text) }));
    expect(fromBuffer).toEqual({ ok: true, value: { value: text } });
  });
});

describe('FrameDecoder', () => {
  it('gives back frames however the bytes are split, one byte at a time included', () => {
    const stream = Buffer.concat([encodeFrame({ a: 1 }), encodeFrame(['x']), encodeFrame('y')]);
    const decoder = new FrameDecoder(1024);
    const values: unknown[] = [];
    for (const byte of stream) for (const frame of decoder.push(Buffer.from([byte]))) values.push(frame.ok ? frame.value : frame);
    expect(values).toEqual([{ a: 1 }, ['x'], 'y']);
    expect(decoder.pending).toBe(0);
  });

  it('several frames in one chunk, and a partial one kept for later', () => {
    const decoder = new FrameDecoder(1024);
    const second = encodeFrame({ b: 2 });
    const frames = decoder.push(Buffer.concat([encodeFrame({ a: 1 }), second.subarray(0, 6)]));
    expect(frames).toEqual([{ ok: true, value: { a: 1 } }]);
    expect(decoder.pending).toBe(6);
    expect(decoder.push(second.subarray(6))).toEqual([{ ok: true, value: { b: 2 } }]);
  });

  it('a body that is not JSON (or empty) is reported without quoting it', () => {
    const decoder = new FrameDecoder(1024);
    const secret = Buffer.from('{"answer":"hunter2"');
    const frames = decoder.push(Buffer.concat([header(secret.length), secret, header(0)]));
    expect(frames).toEqual([
      { ok: false, problem: 'the frame is not JSON' },
      { ok: false, problem: 'the frame is not JSON' },
    ]);
    expect(JSON.stringify(frames)).not.toContain('hunter2');
  });

  it('refuses a header over the limit before any of the body arrives', () => {
    const decoder = new FrameDecoder(MAX_REQUEST_FRAME_BYTES);
    expect(() => decoder.push(header(MAX_REQUEST_FRAME_BYTES + 1))).toThrow(FrameTooLargeError);
    expect(decoder.pending).toBe(0);
    expect(new FrameDecoder(MAX_REQUEST_FRAME_BYTES).push(encodeFrame('x'.repeat(MAX_REQUEST_FRAME_BYTES - 2)))).toHaveLength(1);
  });

  it('wipes the bytes of a frame once it is parsed', () => {
    const decoder = new FrameDecoder(1024);
    const chunk = encodeFrame({ type: 'answer', value: 'hunter2' });
    decoder.push(chunk);
    expect(chunk.every((byte) => byte === 0)).toBe(true);
    const split = encodeFrame({ type: 'answer', value: 'hunter2' });
    const first = Buffer.from(split.subarray(0, 10));
    const rest = Buffer.from(split.subarray(10));
    decoder.push(first);
    decoder.push(rest);
    expect(first.every((byte) => byte === 0)).toBe(true);
    expect(rest.every((byte) => byte === 0)).toBe(true);
  });
});
