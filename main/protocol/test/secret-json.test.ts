// serve's own JSON reader: what JSON.parse makes of a frame, except that the
// top-level `value` string comes out as its UTF-8 bytes (in memory of its own,
// off V8's heap), and nothing that is not strict JSON gets through.
import { describe, expect, it } from 'vitest';
import { encodeSecretJson, parseSecretJson } from '../secret-json';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const decode = (text: string) => parseSecretJson(bytes(text));

describe('parseSecretJson', () => {
  it('reads requests as JSON.parse does, but the top-level value as bytes', () => {
    const frame = '{"v":1,"type":"answer","id":"b1.0","value":"pässwörd ✓ 𝄞"}';
    const decoded = decode(frame) as Record<string, unknown>;
    const { value, ...rest } = decoded;
    const { value: expected, ...expectedRest } = JSON.parse(frame) as Record<string, unknown>;
    expect(rest).toEqual(expectedRest);
    expect(Buffer.isBuffer(value)).toBe(true);
    expect((value as Buffer).toString('utf8')).toBe(expected);
  });

  it('resolves every escape into the bytes, surrogate pairs included', () => {
    const frame = String.raw`{"value":"a\"b\\c\/d\b\f\n\r\t\u00e9\u2713\ud834\udd1e\ud800x"}`;
    const value = (decode(frame) as { value: Buffer }).value;
    expect(value.toString('utf8')).toBe('a"b\\c/d\b\f\n\r\t\u00e9\u2713\u{1d11e}\ufffdx');
  });

  it('turns only the top-level value into bytes', () => {
    expect(decode('{"value":1}')).toEqual({ value: 1 });
    expect(decode('{"nested":{"value":"text"}}')).toEqual({ nested: { value: 'text' } });
    expect(decode('[{"value":"text"}]')).toEqual([{ value: 'text' }]);
  });

  it('reads every JSON value type like JSON.parse', () => {
    for (const text of ['{}', '[]', '[1,-2.5,3e2,0,true,false,null,"s"]', ' { "a" : [ { } ] } ', '"just a string"', '42', 'null']) {
      expect(decode(text), text).toEqual(JSON.parse(text));
    }
  });

  it('keeps a key named __proto__ a plain field', () => {
    const decoded = decode('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses anything that is not strict JSON (undefined)', () => {
    for (const text of [
      '',
      '{',
      '{"a":1,}',
      "{'a':1}",
      '{"a":01}',
      '{"a":1}x',
      '{"a":"unterminated}',
      '{"a":"bad \\x escape"}',
      '{"a":"bad \\u12 escape"}',
      '{"a":"raw \n newline"}',
      '[1 2]',
      'tru',
      '{"a":NaN}',
      '[' .repeat(100) + ']'.repeat(100),
    ]) {
      expect(decode(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('zeroes the bytes of a value it cannot use: a frame that turns out malformed, a repeated key', () => {
    // Malformed after the value: the bytes made for it are zeroed before giving up.
    expect(decode('{"value":"secret-A","oops"}')).toBeUndefined();
    const twice = decode('{"value":"secret-A","value":"secret-B"}') as { value: Buffer };
    expect(twice.value.toString('utf8')).toBe('secret-B');
  });

  it('keeps the value off V8\'s heap: zeroing it leaves no copy (its memory is an ArrayBuffer of its own)', () => {
    const value = (decode('{"value":"short"}') as { value: Buffer }).value;
    expect(value.buffer.byteLength).toBe(value.byteLength);
    value.fill(0);
    expect([...new Uint8Array(value.buffer)].every((b) => b === 0)).toBe(true);
  });
});

describe('encodeSecretJson', () => {
  it('writes what JSON.stringify writes for values without bytes', () => {
    const values: unknown[] = [
      { v: 1, type: 'begin', mode: 'login', user: 'ålice "q" \\ \n', n: -1.5e3, t: true, f: false, z: null, skip: undefined },
      [1, 'two', null, undefined, { a: [] }],
      'text',
      42,
      {},
    ];
    for (const value of values) expect(encodeSecretJson(value).toString('utf8')).toBe(JSON.stringify(value));
  });

  it('writes bytes as the JSON string of their text, escaping quote, backslash and control bytes', () => {
    const text = 'pä"ss\\w\u0001rd\n€😀';
    const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
    const encoded = encodeSecretJson({ v: 1, type: 'answer', id: 'b1.0', value: bytes });
    expect(JSON.parse(encoded.toString('utf8'))).toEqual({ v: 1, type: 'answer', id: 'b1.0', value: text });
    // The bytes handed in are left for their owner to wipe.
    expect(Buffer.from(bytes).toString('utf8')).toBe(text);
  });

  it('round-trips through parseSecretJson: the answer comes back as the same bytes', () => {
    const bytes = new Uint8Array(Buffer.from('s3cr\"et\\', 'utf8'));
    const parsed = parseSecretJson(encodeSecretJson({ type: 'answer', value: bytes })) as { value: Buffer };
    expect(Buffer.isBuffer(parsed.value)).toBe(true);
    expect(Buffer.compare(parsed.value, Buffer.from(bytes))).toBe(0);
  });

  it('refuses what has no JSON form, and nesting deeper than any request', () => {
    expect(() => encodeSecretJson(undefined)).toThrow(TypeError);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => encodeSecretJson(deep)).toThrow(/nests too deeply/);
  });
});

describe('parseSecretJson without a secret key', () => {
  it('reads every string as text (frames that carry no answer: events, greetd responses)', () => {
    expect(parseSecretJson(Buffer.from('{"value":"text","type":"x"}'), null)).toEqual({ value: 'text', type: 'x' });
  });
});
