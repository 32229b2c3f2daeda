// greetd's error descriptions in PAM terms (the strings greetd 0.9's session
// worker produces: PamError::from_rc's "pam_CALL: CODE", and its abort form).
// The same mapping is exercised through the real greetd in greetd.test.ts.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { greetdFailure } from '../failures';
import { shellQuote } from '..';

describe('greetdFailure', () => {
  it('names the PAM call and the code greetd reports', () => {
    expect(greetdFailure('pam_authenticate: AUTH_ERR')).toEqual({ call: 'authenticate', code: 'PAM_AUTH_ERR', errno: 7, text: 'Authentication failure' });
    expect(greetdFailure('pam_acct_mgmt: NEW_AUTHTOK_REQD')).toMatchObject({ call: 'acct_mgmt', code: 'PAM_NEW_AUTHTOK_REQD', errno: 12 });
    expect(greetdFailure('pam_acct_mgmt: ACCT_EXPIRED')).toMatchObject({ call: 'acct_mgmt', code: 'PAM_ACCT_EXPIRED', text: 'User account has expired' });
    expect(greetdFailure('pam_setcred: CRED_ERR')).toMatchObject({ call: 'setcred', code: 'PAM_CRED_ERR' });
    expect(greetdFailure('pam_start: SYSTEM_ERR')).toMatchObject({ call: 'start', code: 'PAM_SYSTEM_ERR' });
    expect(greetdFailure('abort error: pam_authenticate: ABORT')).toMatchObject({ call: 'authenticate', code: 'PAM_ABORT' });
  });

  it('a code without a text of its own keeps its name; an unknown one is a system error', () => {
    expect(greetdFailure('pam_authenticate: TRY_AGAIN')).toMatchObject({ code: 'PAM_TRY_AGAIN', text: 'PAM_TRY_AGAIN' });
    expect(greetdFailure('pam_authenticate: NOT_A_CODE')).toMatchObject({ call: 'other', code: 'PAM_SYSTEM_ERR' });
    expect(greetdFailure('pam_authenticate: SUCCESS')).toMatchObject({ call: 'other', code: 'PAM_SYSTEM_ERR' });
  });

  it('anything else is greetd’s own error, shown as it is (cut at 200 characters)', () => {
    expect(greetdFailure('a session is already being configured')).toEqual({
      call: 'other',
      code: 'PAM_SYSTEM_ERR',
      errno: 4,
      text: 'greetd: a session is already being configured',
    });
    expect(greetdFailure('x'.repeat(1000)).text).toHaveLength('greetd: '.length + 200);
  });
});

describe('shellQuote (start_session: greetd joins the words into sh -c "exec ...")', () => {
  it('keeps every word as it is, blanks and quotes and $ included', () => {
    expect(shellQuote('/usr/bin/startplasma-wayland')).toBe("'/usr/bin/startplasma-wayland'");
    expect(shellQuote("it's $HOME `x`")).toBe("'it'\\''s $HOME `x`'");
    // What greetd's worker does with them: `sh -c "exec WORDS"`.
    const words = ['printf', '%s|', "it's", 'two words', '$HOME', '`id`', '"q"', '\\n'];
    const printed = execFileSync('/bin/sh', ['-c', `exec ${words.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
    expect(printed).toBe(`${words.slice(2).join('|')}|`);
  });
});
