// The helper's line protocol and its failure reasons, as pure functions: the
// escapes g_strescape writes (and some it never writes, as g_strcompress reads
// them), lines outside the protocol, answers the helper cannot take. The real
// helper speaks it in helper-source.test.ts.
import { describe, expect, it } from 'vitest';
import { classifyFailure, helperDiagnostics } from '../failure-reason';
import { helperAnswerProblem, MAX_HELPER_ANSWER_BYTES, parseHelperLine, unescapeHelperText } from '../line-protocol';

const line = (text: string) => Buffer.from(text, 'latin1');
const unescape = (text: string) => Buffer.from(unescapeHelperText(line(text))).toString('latin1');

describe('unescaping (g_strcompress)', () => {
  it('undoes every escape g_strescape writes', () => {
    expect(unescape('a\\tb\\nc\\rd\\be\\ff\\vg')).toBe('a\tb\nc\rd\be\ff\vg');
    expect(unescape('quote \\" backslash \\\\')).toBe('quote " backslash \\');
    expect(unescape('\\033[31m')).toBe('\x1b[31m');
  });

  it('reads octal bytes, so UTF-8 arrives whole', () => {
    // "Grüße" as g_strescape writes it: every byte from 0x7f up in octal.
    const bytes = unescapeHelperText(line('Gr\\303\\274\\303\\237e'));
    expect(Buffer.from(bytes).toString('utf8')).toBe('Grüße');
  });

  it('takes at most three octal digits, and wraps larger values into a byte as C does', () => {
    expect(unescape('\\1012')).toBe('A2');
    expect(unescape('\\7')).toBe('\x07');
    expect(unescape('\\777')).toBe('\xff');
  });

  it('keeps any other escaped character, drops a trailing backslash, and ends at an escaped NUL', () => {
    expect(unescape('\\q\\%')).toBe('q%');
    expect(unescape('end\\')).toBe('end');
    expect(unescape('before\\000after')).toBe('before');
  });
});

describe('lines', () => {
  it('reads the four message kinds and the two verdicts', () => {
    expect(parseHelperLine(line('PAM_PROMPT_ECHO_OFF Password: '))).toEqual({ kind: 'prompt', style: 'echo-off', text: 'Password: ' });
    expect(parseHelperLine(line('PAM_PROMPT_ECHO_ON Login\\t: '))).toEqual({ kind: 'prompt', style: 'echo-on', text: 'Login\t: ' });
    expect(parseHelperLine(line('PAM_ERROR_MSG two\\nlines'))).toEqual({ kind: 'message', style: 'error', text: 'two\nlines' });
    expect(parseHelperLine(line('PAM_TEXT_INFO '))).toEqual({ kind: 'message', style: 'info', text: '' });
    expect(parseHelperLine(line('SUCCESS'))).toEqual({ kind: 'success' });
    expect(parseHelperLine(line('FAILURE'))).toEqual({ kind: 'failure' });
  });

  it('shows invalid UTF-8 as replacement characters', () => {
    expect(parseHelperLine(line('PAM_TEXT_INFO \\377x'))).toEqual({ kind: 'message', style: 'info', text: '\ufffdx' });
  });

  it('takes anything else as outside the protocol', () => {
    for (const text of ['', 'PAM_PROMPT_ECHO_OFF', 'PAM_PROMPT_ECHO_OFFPassword', 'pam_prompt_echo_off x', 'Password: ', 'PAM_BINARY_PROMPT x']) {
      expect(parseHelperLine(line(text))).toEqual({ kind: 'unknown' });
    }
  });
});

describe('answers', () => {
  it('takes what fits one fgets line', () => {
    expect(helperAnswerProblem('')).toBeUndefined();
    expect(helperAnswerProblem('x'.repeat(MAX_HELPER_ANSWER_BYTES))).toBeUndefined();
    expect(helperAnswerProblem('\r tabs\t and ünïcödé')).toBeUndefined();
  });

  it('refuses line breaks, NUL and anything over 510 bytes (counted in UTF-8), never quoting the answer', () => {
    const problems = [
      helperAnswerProblem('first\nsecond'),
      helperAnswerProblem('a\0b'),
      helperAnswerProblem('x'.repeat(MAX_HELPER_ANSWER_BYTES + 1)),
      helperAnswerProblem('é'.repeat(256)),
    ];
    expect(problems).toEqual([
      'a line break cannot be passed to the authentication helper',
      'a NUL byte cannot be passed to the authentication helper',
      'the authentication helper takes answers of at most 510 bytes',
      'the authentication helper takes answers of at most 510 bytes',
    ]);
  });

  it('judges an answer given as bytes the same way', () => {
    const bytes = (text: string) => Buffer.from(text, 'utf8');
    expect(helperAnswerProblem(bytes('\r tabs\t and ünïcödé'))).toBeUndefined();
    expect(helperAnswerProblem(bytes('first\nsecond'))).toMatch(/line break/);
    expect(helperAnswerProblem(bytes('a\0b'))).toMatch(/NUL/);
    expect(helperAnswerProblem(bytes('é'.repeat(256)))).toMatch(/at most 510 bytes/);
  });
});

describe('why the helper said FAILURE', () => {
  it("turns pam_strerror's words back into the PAM code, at the stage that failed", () => {
    expect(classifyFailure('polkit-agent-helper-1: pam_authenticate failed: Authentication failure\n')).toEqual({
      stage: 'authenticate',
      code: 'PAM_AUTH_ERR',
      message: 'Authentication failure',
    });
    expect(classifyFailure('noise from a module\npolkit-agent-helper-1: pam_acct_mgmt failed: User account has expired\n')).toEqual({
      stage: 'account',
      code: 'PAM_ACCT_EXPIRED',
      message: 'User account has expired',
    });
    expect(classifyFailure('polkit-agent-helper-1: pam_authenticate failed: Something new\n')).toMatchObject({ code: 'PAM_AUTH_ERR', message: 'Something new' });
  });

  it("reads the helper's own troubles (polkitd, setuid) as the helper's, not the person's", () => {
    expect(
      classifyFailure('polkit-agent-helper-1: error response to PolicyKit daemon: GDBus.Error:org.freedesktop.PolicyKit1.Error.Failed: No session for cookie\n'),
    ).toEqual({ stage: 'helper', message: 'error response to PolicyKit daemon: GDBus.Error:org.freedesktop.PolicyKit1.Error.Failed: No session for cookie' });
    expect(classifyFailure('Error getting authority: Could not connect: No such file or directory\n')).toMatchObject({ stage: 'helper' });
    expect(classifyFailure('polkit-agent-helper-1: needs to be setuid root\n')).toEqual({ stage: 'helper', message: 'needs to be setuid root' });
  });

  it('takes a silent FAILURE for a failed authentication', () => {
    expect(classifyFailure('')).toEqual({ stage: 'authenticate', code: 'PAM_AUTH_ERR', message: 'Authentication failure' });
  });

  it("logs only the helper's own lines, with control characters masked", () => {
    expect(helperDiagnostics('a module wrote this\npolkit-agent-helper-1: pam_authenticate failed: bad\x1b[0m\n')).toEqual([
      'pam_authenticate failed: bad?[0m',
    ]);
  });
});
