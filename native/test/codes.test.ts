// Every PAM return code reaches JS as a PamError with Node conventions, through
// real libpam and pam_debug / pam_permit / pam_deny.
import { describe, expect, it } from 'vitest';
import { PamError, PamTransaction, constants, pamCodeName } from '../index';
import { makeConfDir } from '../../lab/confdir';
import { module } from '../../lab/paths';
import { scripted } from './helpers';

const debug = module('pam_debug.so');

// pam_debug's keyword for each code: the lower-case name without PAM_ (it still
// spells PAM_AUTHTOK_RECOVERY_ERR by its old name).
const RETURN_CODES = Object.entries(constants)
  .filter(([name, value]) => pamCodeName(value) === name && name !== 'PAM_SUCCESS')
  .map(([name, value]) => ({
    name,
    value,
    keyword: name === 'PAM_AUTHTOK_RECOVERY_ERR' ? 'authtok_recover_err' : name.slice(4).toLowerCase(),
  }));

describe('return codes', () => {
  it('knows all 31 failure codes of the headers', () => {
    expect(RETURN_CODES.map((c) => c.value).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 31 }, (_, i) => i + 1),
    );
  });

  // libpam itself rewrites two results: a stack that only ignores is PERM_DENIED,
  // and PAM_INCOMPLETE out of acct_mgmt is not resumable, so it becomes PAM_ABORT.
  const expectedFrom = (name: string, op: string) =>
    name === 'PAM_IGNORE' ? 'PAM_PERM_DENIED' : name === 'PAM_INCOMPLETE' && op === 'acctMgmt' ? 'PAM_ABORT' : name;

  it.each(RETURN_CODES)('$name from authenticate and acct_mgmt', async ({ name, keyword }) => {
    const conf = makeConfDir({
      dbg: `auth required ${debug} auth=${keyword}
            account required ${debug} acct=${keyword}`,
    });
    const rec = scripted();
    const tx = await PamTransaction.start({ service: 'dbg', user: 'alice', confDir: conf.dir, conversation: rec.conversation });
    for (const op of ['authenticate', 'acctMgmt'] as const) {
      const error = await tx[op]().then(
        () => undefined,
        (e: unknown) => e,
      );
      const want = expectedFrom(name, op);
      expect(error).toBeInstanceOf(PamError);
      const pamError = error as PamError;
      expect(pamError.code).toBe(want);
      expect(pamError.errno).toBe(constants[want]);
      expect(pamError.operation).toBe(op);
      expect(pamError.message.length).toBeGreaterThan(0);
      expect(pamError.name).toBe('PamError');
    }
    // pam_debug announces itself: the message reached the conversation.
    expect(rec.transcript[0]).toBe(`info auth=${keyword}`);
    await tx.end();
  });

  it('reports codes no header defines as PAM_UNKNOWN_ERROR with the number', () => {
    expect(pamCodeName(4242)).toBe('PAM_UNKNOWN_ERROR');
    const e = new PamError(4242, 'authenticate', 'x');
    expect(e.errno).toBe(4242);
  });
});

describe('pam_permit and pam_deny', () => {
  it('runs every operation on a permit stack', async () => {
    const permit = module('pam_permit.so');
    const conf = makeConfDir({
      ok: ['auth', 'account', 'password', 'session'].map((t) => `${t} required ${permit}`).join('\n'),
    });
    const tx = await PamTransaction.start({ service: 'ok', user: 'alice', confDir: conf.dir, conversation: scripted().conversation });
    await tx.authenticate({ silent: true, disallowNullAuthtok: true });
    await tx.acctMgmt();
    await tx.setcred('establish');
    await tx.openSession();
    await tx.closeSession();
    await tx.setcred('delete');
    await tx.setcred('reinitialize', { silent: true });
    await tx.setcred('refresh');
    await tx.chauthtok();
    await tx.end();
    expect(tx.ended).toBe(true);
  });

  it('fails every operation on a deny stack with PAM_AUTH_ERR or its own code', async () => {
    const deny = module('pam_deny.so');
    const conf = makeConfDir({
      no: ['auth', 'account', 'password', 'session'].map((t) => `${t} required ${deny}`).join('\n'),
    });
    const tx = await PamTransaction.start({ service: 'no', user: 'alice', confDir: conf.dir, conversation: scripted().conversation });
    await expect(tx.authenticate()).rejects.toMatchObject({ code: 'PAM_AUTH_ERR', operation: 'authenticate' });
    await expect(tx.acctMgmt()).rejects.toMatchObject({ code: 'PAM_AUTH_ERR', operation: 'acctMgmt' });
    await expect(tx.chauthtok()).rejects.toMatchObject({ code: 'PAM_AUTHTOK_ERR', operation: 'chauthtok' });
    await expect(tx.setcred('establish')).rejects.toMatchObject({ code: 'PAM_CRED_ERR', operation: 'setcred' });
    await expect(tx.openSession()).rejects.toMatchObject({ code: 'PAM_SESSION_ERR', operation: 'openSession' });
    await expect(tx.closeSession()).rejects.toMatchObject({ code: 'PAM_SESSION_ERR', operation: 'closeSession' });
    await tx.end();
  });
});

describe('start', () => {
  it('fails with PAM_ABORT for a confdir that does not exist', async () => {
    await expect(
      PamTransaction.start({ service: 'x', confDir: '/nonexistent/gatehouse', conversation: scripted().conversation }),
    ).rejects.toMatchObject({ name: 'PamError', code: 'PAM_ABORT', operation: 'start', errno: constants.PAM_ABORT });
  });

  it('uses the `other` stack for an unknown service', async () => {
    const conf = makeConfDir({});
    const tx = await PamTransaction.start({ service: 'nothing-here', user: 'a', confDir: conf.dir, conversation: scripted().conversation });
    await expect(tx.authenticate()).rejects.toMatchObject({ code: 'PAM_AUTH_ERR' });
    await tx.end();
  });

  it('reads /etc/pam.d without confDir', async () => {
    // Debian always ships /etc/pam.d/other; an unknown service falls back to it.
    const tx = await PamTransaction.start({ service: 'gatehouse-no-such-service', user: 'root', conversation: scripted().conversation });
    expect(await tx.getItem('service')).toBe('gatehouse-no-such-service');
    await tx.end();
  });
});
