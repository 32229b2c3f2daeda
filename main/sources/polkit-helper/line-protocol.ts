// polkit-agent-helper-1's line protocol, as polkit 122 speaks it
// (src/polkitagent/polkitagenthelper-pam.c, and the agent side in
// polkitagentsession.c):
//
//   stdin   the cookie on the first line, then one line per answered prompt
//   stdout  PAM_PROMPT_ECHO_OFF <text>     a prompt; the next stdin line answers it
//           PAM_PROMPT_ECHO_ON <text>
//           PAM_ERROR_MSG <text>           a module's message; nothing is read
//           PAM_TEXT_INFO <text>
//           SUCCESS                        authenticated, and polkitd was told so
//           FAILURE                        anything else (the reason goes to stderr)
//
// <text> is the module's text without one trailing newline, escaped with
// g_strescape: \b \f \n \r \t \v \\ \" and octal \ooo for every other byte below
// 0x20 and from 0x7f up (so UTF-8 arrives as octal bytes). The agent unescapes the
// whole line with g_strcompress and then matches the prefixes; so does this.
//
// The helper reads each answer with fgets into a PAM_MAX_RESP_SIZE (512) buffer:
// an answer longer than 510 bytes, or with a line break in it, would be cut into
// two answers. Such answers are refused before they reach the helper.

export type HelperLine =
  | { kind: 'prompt'; style: 'echo-off' | 'echo-on'; text: string }
  | { kind: 'message'; style: 'error' | 'info'; text: string }
  | { kind: 'success' }
  | { kind: 'failure' }
  /** Not part of the protocol: the helper (or whatever runs in its place) cannot be trusted further. */
  | { kind: 'unknown' };

/** The longest answer the helper reads as one line (fgets into 512 bytes, the newline included). */
export const MAX_HELPER_ANSWER_BYTES = 510;

const PREFIXES: readonly [string, (text: string) => HelperLine][] = [
  ['PAM_PROMPT_ECHO_OFF ', (text) => ({ kind: 'prompt', style: 'echo-off', text })],
  ['PAM_PROMPT_ECHO_ON ', (text) => ({ kind: 'prompt', style: 'echo-on', text })],
  ['PAM_ERROR_MSG ', (text) => ({ kind: 'message', style: 'error', text })],
  ['PAM_TEXT_INFO ', (text) => ({ kind: 'message', style: 'info', text })],
];

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** One line of the helper's stdout, without its line ending. */
export function parseHelperLine(line: Uint8Array): HelperLine {
  const bytes = unescapeHelperText(line);
  for (const [prefix, make] of PREFIXES) {
    if (startsWith(bytes, prefix)) return make(utf8.decode(bytes.subarray(prefix.length)));
  }
  // polkitagentsession.c matches these as prefixes too.
  if (startsWith(bytes, 'SUCCESS')) return { kind: 'success' };
  if (startsWith(bytes, 'FAILURE')) return { kind: 'failure' };
  return { kind: 'unknown' };
}

const SIMPLE_ESCAPES: Record<string, number> = { b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b };

/**
 * GLib's g_strcompress on bytes: the escapes of g_strescape undone, `\X` for any
 * other X is X, a trailing backslash is dropped, and (as in C) the text ends at
 * the first NUL an escape produces.
 */
export function unescapeHelperText(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length);
  let q = 0;
  for (let p = 0; p < input.length; p++) {
    let byte = input[p]!;
    if (byte === 0x5c /* \ */) {
      p++;
      if (p >= input.length) break;
      const escaped = input[p]!;
      if (escaped >= 0x30 && escaped <= 0x37) {
        // Up to three octal digits; like g_strcompress, the value wraps into one byte.
        let value = 0;
        const start = p;
        while (p < start + 3 && p < input.length && input[p]! >= 0x30 && input[p]! <= 0x37) {
          value = value * 8 + (input[p]! - 0x30);
          p++;
        }
        p--;
        byte = value & 0xff;
      } else {
        byte = SIMPLE_ESCAPES[String.fromCharCode(escaped)] ?? escaped;
      }
    }
    if (byte === 0) break;
    out[q++] = byte;
  }
  return out.subarray(0, q);
}

/** Why the helper cannot take `answer` (text, or its UTF-8 bytes) as one line (never quoting it), or undefined. */
export function helperAnswerProblem(answer: string | Uint8Array): string | undefined {
  const text = typeof answer === 'string';
  if (text ? answer.includes('\n') : answer.includes(0x0a)) return 'a line break cannot be passed to the authentication helper';
  if (text ? answer.includes('\0') : answer.includes(0)) return 'a NUL byte cannot be passed to the authentication helper';
  if ((text ? Buffer.byteLength(answer, 'utf8') : answer.byteLength) > MAX_HELPER_ANSWER_BYTES) {
    return `the authentication helper takes answers of at most ${MAX_HELPER_ANSWER_BYTES} bytes`;
  }
  return undefined;
}

function startsWith(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (bytes[i] !== prefix.charCodeAt(i)) return false;
  }
  return true;
}
