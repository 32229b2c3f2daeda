// JSON to and from bytes without ever making an answer a JS string: JSON.parse
// and JSON.stringify would hold the whole text, password and all, in a string
// no one can wipe.
//
// parseSecretJson reads a UTF-8 JSON text's bytes; the string under the
// top-level key `value` (a request's answer) becomes a Buffer of its UTF-8 bytes
// (escapes resolved), every other string a JS string (types, ids, user names).
// Strict JSON (RFC 8259) only; anything else is `undefined` (the caller then
// refuses it without quoting it). The browser host reads WebSocket frames with
// it, and the engine daemon its socket's frames (frames.ts).
//
// encodeSecretJson writes a value as UTF-8 JSON bytes, a Uint8Array anywhere in
// it as a JSON string of those bytes: an answer on its way to the engine daemon
// or to greetd. The engine zeroes an answer's bytes once PAM (or greetd) has them;
// whoever holds the encoded bytes zeroes them once written.

import { types } from 'node:util';
import { answerBytes } from './answer-bytes';

/** The top-level key whose string is read as bytes: a request's answer. */
export const SECRET_KEY = 'value';
/** Deeper than any request: a frame nesting more is refused, not recursed into. */
const MAX_DEPTH = 16;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;

class Malformed extends Error {}

/**
 * The JSON value of `bytes`, the top-level `secretKey` string (if any) as bytes;
 * undefined when the bytes are not strict JSON. `secretKey` null: every string
 * is a JS string (for texts that carry no answer).
 */
export function parseSecretJson(bytes: Uint8Array, secretKey: string | null = SECRET_KEY): unknown {
  const parser = new Parser(bytes, secretKey);
  try {
    parser.skipSpace();
    const value = parser.value(0, true);
    parser.skipSpace();
    if (parser.pos !== bytes.length) throw new Malformed();
    return value;
  } catch (error) {
    if (error instanceof Malformed) {
      parser.wipeSecrets();
      return undefined;
    }
    throw error;
  }
}

class Parser {
  pos = 0;
  readonly #bytes: Buffer;
  /** Byte strings made so far: zeroed if the frame turns out malformed. */
  readonly #secrets: Buffer[] = [];
  readonly #secretKey: string | null;

  constructor(bytes: Uint8Array, secretKey: string | null) {
    this.#secretKey = secretKey;
    // A view, not a copy.
    this.#bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  wipeSecrets(): void {
    for (const secret of this.#secrets) secret.fill(0);
  }

  skipSpace(): void {
    const b = this.#bytes;
    while (this.pos < b.length && (b[this.pos] === 0x20 || b[this.pos] === 0x09 || b[this.pos] === 0x0a || b[this.pos] === 0x0d)) {
      this.pos++;
    }
  }

  value(depth: number, top: boolean): unknown {
    if (depth > MAX_DEPTH) throw new Malformed();
    const c = this.#bytes[this.pos];
    switch (c) {
      case 0x7b: // {
        return this.#object(depth, top);
      case 0x5b: // [
        return this.#array(depth);
      case 0x22: // "
        return this.#string(false);
      case 0x74: // t
        return this.#literal('true', true);
      case 0x66: // f
        return this.#literal('false', false);
      case 0x6e: // n
        return this.#literal('null', null);
      default:
        return this.#number();
    }
  }

  #object(depth: number, top: boolean): Record<string, unknown> {
    this.pos++; // {
    const result: Record<string, unknown> = {};
    this.skipSpace();
    if (this.#bytes[this.pos] === 0x7d) {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      if (this.#bytes[this.pos] !== 0x22) throw new Malformed();
      const key = this.#string(false) as string;
      this.skipSpace();
      if (this.#bytes[this.pos] !== 0x3a) throw new Malformed();
      this.pos++;
      this.skipSpace();
      const secret = top && key === this.#secretKey && this.#bytes[this.pos] === 0x22;
      const value = secret ? this.#string(true) : this.value(depth + 1, false);
      // A repeated key replaces the earlier value, as in JSON.parse: zero bytes that go unused.
      const earlier: unknown = Object.hasOwn(result, key) ? result[key] : undefined;
      if (Buffer.isBuffer(earlier)) earlier.fill(0);
      // defineProperty: a key named __proto__ stays a plain (and then unknown) field.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const next = this.#bytes[this.pos++];
      if (next === 0x7d) return result;
      if (next !== 0x2c) throw new Malformed();
    }
  }

  #array(depth: number): unknown[] {
    this.pos++; // [
    const result: unknown[] = [];
    this.skipSpace();
    if (this.#bytes[this.pos] === 0x5d) {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      result.push(this.value(depth + 1, false));
      this.skipSpace();
      const next = this.#bytes[this.pos++];
      if (next === 0x5d) return result;
      if (next !== 0x2c) throw new Malformed();
    }
  }

  /** A JSON string: its UTF-8 bytes (a Buffer of its own) when `asBytes`, else a JS string. */
  #string(asBytes: boolean): string | Buffer {
    const b = this.#bytes;
    this.pos++; // "
    const start = this.pos;
    // Escapes only ever shorten: the decoded bytes fit in the encoded length.
    let end = start;
    let plain = true;
    while (end < b.length && b[end] !== 0x22) {
      const c = b[end]!;
      if (c < 0x20) throw new Malformed();
      if (c === 0x5c) {
        plain = false;
        end += 2;
      } else {
        end += 1;
      }
    }
    if (end >= b.length) throw new Malformed();
    if (plain && !asBytes) {
      // No escape: the text is the bytes as they stand (the common case for every field but the answer).
      this.pos = end + 1;
      return b.toString('utf8', start, end);
    }
    const out = asBytes ? answerBytes(end - start) : Buffer.alloc(end - start);
    if (asBytes) this.#secrets.push(out);
    let n = 0;
    while (this.pos < end) {
      const c = b[this.pos++]!;
      if (c < 0x20) throw new Malformed();
      if (c !== 0x5c) {
        out[n++] = c;
        continue;
      }
      const e = b[this.pos++];
      switch (e) {
        case 0x22:
        case 0x5c:
        case 0x2f:
          out[n++] = e;
          break;
        case 0x62:
          out[n++] = 0x08;
          break;
        case 0x66:
          out[n++] = 0x0c;
          break;
        case 0x6e:
          out[n++] = 0x0a;
          break;
        case 0x72:
          out[n++] = 0x0d;
          break;
        case 0x74:
          out[n++] = 0x09;
          break;
        case 0x75: {
          let code = this.#hex4();
          if (code >= 0xd800 && code <= 0xdbff && b[this.pos] === 0x5c && b[this.pos + 1] === 0x75) {
            const save = this.pos;
            this.pos += 2;
            const low = this.#hex4();
            if (low >= 0xdc00 && low <= 0xdfff) code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            else this.pos = save;
          }
          // A lone surrogate becomes U+FFFD, as TextDecoder would make it.
          if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
          n = putUtf8(out, n, code);
          break;
        }
        default:
          throw new Malformed();
      }
    }
    this.pos = end + 1; // the closing "
    const used = out.subarray(0, n);
    if (asBytes) return used;
    const text = used.toString('utf8');
    out.fill(0);
    return text;
  }

  #hex4(): number {
    const b = this.#bytes;
    if (this.pos + 4 > b.length) throw new Malformed();
    let code = 0;
    for (let i = 0; i < 4; i++) {
      const c = b[this.pos++]!;
      const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
      if (digit < 0) throw new Malformed();
      code = code * 16 + digit;
    }
    return code;
  }

  #literal<T>(word: string, value: T): T {
    for (let i = 0; i < word.length; i++) {
      if (this.#bytes[this.pos + i] !== word.charCodeAt(i)) throw new Malformed();
    }
    this.pos += word.length;
    return value;
  }

  #number(): number {
    const b = this.#bytes;
    const start = this.pos;
    for (let c = b[this.pos]; c !== undefined && ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45); c = b[++this.pos]);
    const text = b.toString('latin1', start, this.pos);
    if (!NUMBER.test(text)) throw new Malformed();
    return Number(text);
  }
}

function putUtf8(out: Buffer, n: number, code: number): number {
  if (code < 0x80) {
    out[n++] = code;
  } else if (code < 0x800) {
    out[n++] = 0xc0 | (code >> 6);
    out[n++] = 0x80 | (code & 0x3f);
  } else if (code < 0x10000) {
    out[n++] = 0xe0 | (code >> 12);
    out[n++] = 0x80 | ((code >> 6) & 0x3f);
    out[n++] = 0x80 | (code & 0x3f);
  } else {
    out[n++] = 0xf0 | (code >> 18);
    out[n++] = 0x80 | ((code >> 12) & 0x3f);
    out[n++] = 0x80 | ((code >> 6) & 0x3f);
    out[n++] = 0x80 | (code & 0x3f);
  }
  return n;
}

/**
 * `value` as UTF-8 JSON bytes, as JSON.stringify would write it, except that a
 * Uint8Array is written as a JSON string of its bytes (which must be UTF-8)
 * without a JS string ever holding them. The caller zeroes the result once
 * written; the Uint8Arrays in `value` are left as they are.
 */
export function encodeSecretJson(value: unknown): Buffer {
  const parts: Buffer[] = [];
  writeJson(value, parts, 0);
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = answerBytes(total);
  let n = 0;
  for (const part of parts) {
    part.copy(out, n);
    n += part.length;
    part.fill(0);
  }
  return out;
}

function writeJson(value: unknown, parts: Buffer[], depth: number): void {
  if (depth > MAX_DEPTH) throw new TypeError('encodeSecretJson: the value nests too deeply');
  // types.isUint8Array, not instanceof: bytes from another realm (a vm context,
  // TextEncoder's) are bytes too, and a Buffer's toJSON must never run on an answer.
  if (types.isUint8Array(value)) {
    parts.push(jsonStringOfBytes(value));
    return;
  }
  if (Array.isArray(value)) {
    parts.push(Buffer.from('['));
    value.forEach((item, i) => {
      if (i > 0) parts.push(Buffer.from(','));
      // As JSON.stringify: what has no JSON form is null in an array.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') parts.push(Buffer.from('null'));
      else writeJson(item, parts, depth + 1);
    });
    parts.push(Buffer.from(']'));
    return;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    parts.push(Buffer.from('{'));
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      parts.push(Buffer.from(`${first ? '' : ','}${JSON.stringify(key)}:`));
      first = false;
      writeJson(item, parts, depth + 1);
    }
    parts.push(Buffer.from('}'));
    return;
  }
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('encodeSecretJson: the value has no JSON form');
  parts.push(Buffer.from(text, 'utf8'));
}

/** A JSON string of UTF-8 bytes: quote, backslash and control bytes escaped, the rest as they are. */
function jsonStringOfBytes(bytes: Uint8Array): Buffer {
  let length = 2;
  for (const b of bytes) length += b === 0x22 || b === 0x5c ? 2 : b < 0x20 ? 6 : 1;
  const out = answerBytes(length);
  let n = 0;
  out[n++] = 0x22;
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) {
      out[n++] = 0x5c;
      out[n++] = b;
    } else if (b < 0x20) {
      out.write(`\\u00${b.toString(16).padStart(2, '0')}`, n, 'latin1');
      n += 6;
    } else {
      out[n++] = b;
    }
  }
  out[n++] = 0x22;
  return out;
}
