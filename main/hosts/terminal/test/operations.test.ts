// The pamtester-style operation syntax of `gatehouse check`.
import { describe, expect, it } from 'vitest';
import { OperationSyntaxError, parseOperation } from '../operations';

describe('parseOperation', () => {
  it('takes the six pamtester operations without flags', () => {
    expect(parseOperation('authenticate')).toEqual({ name: 'authenticate', silent: false, disallowNullAuthtok: false });
    expect(parseOperation('acct_mgmt')).toEqual({ name: 'acct_mgmt', silent: false, disallowNullAuthtok: false });
    expect(parseOperation('chauthtok')).toEqual({ name: 'chauthtok', silent: false, changeExpiredAuthtok: false });
    expect(parseOperation('open_session')).toEqual({ name: 'open_session', silent: false });
    expect(parseOperation('close_session')).toEqual({ name: 'close_session', silent: false });
  });

  it('establishes credentials when setcred has no action, as libpam does', () => {
    expect(parseOperation('setcred')).toEqual({ name: 'setcred', silent: false, action: 'establish' });
    expect(parseOperation('setcred()')).toEqual({ name: 'setcred', silent: false, action: 'establish' });
  });

  it('maps the flags, in any case and order', () => {
    expect(parseOperation('setcred(PAM_SILENT|PAM_DELETE_CRED)')).toEqual({ name: 'setcred', silent: true, action: 'delete' });
    expect(parseOperation('setcred(pam_refresh_cred)')).toEqual({ name: 'setcred', silent: false, action: 'refresh' });
    expect(parseOperation('setcred(PAM_REINITIALIZE_CRED)')).toMatchObject({ action: 'reinitialize' });
    expect(parseOperation('chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK)')).toMatchObject({ changeExpiredAuthtok: true });
    expect(parseOperation('authenticate(PAM_DISALLOW_NULL_AUTHTOK|PAM_SILENT)')).toEqual({
      name: 'authenticate',
      silent: true,
      disallowNullAuthtok: true,
    });
  });

  it('refuses anything else, naming what is allowed', () => {
    for (const bad of ['auth', 'authenticate(', 'authenticate)', 'open_session(PAM_DELETE_CRED)', 'setcred(PAM_ESTABLISH_CRED|PAM_DELETE_CRED)', 'AUTHENTICATE', '']) {
      expect(() => parseOperation(bad), bad).toThrow(OperationSyntaxError);
    }
    expect(() => parseOperation('chauthtok(PAM_SILENT|PAM_NOPE)')).toThrow(
      "chauthtok: unknown flag 'PAM_NOPE' (allowed: PAM_SILENT, PAM_CHANGE_EXPIRED_AUTHTOK)",
    );
  });
});
