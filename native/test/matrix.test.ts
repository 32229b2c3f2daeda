// The whole PAM life cycle through pam_matrix (libpam-wrapper): authenticate,
// acct_mgmt, chauthtok, setcred, sessions, items and the PAM environment.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PamTransaction } from '../index';
import { makeConfDir } from '../../lab/confdir';
import { matrixService, writePassdb } from '../../lab/matrix';
import { scripted } from './helpers';

function matrixStack(options = 'verbose') {
  const passdb = writePassdb([
    { user: 'alice', password: 'secret', service: 'matrix' },
    { user: 'bob', password: 'hunter2', service: 'elsewhere' },
  ]);
  const conf = makeConfDir({ matrix: matrixService(passdb, options) });
  return { passdb, confDir: conf.dir };
}

describe('pam_matrix', () => {
  it('authenticates, checks the account, sets credentials and opens a session', async () => {
    const { confDir } = matrixStack();
    const rec = scripted(['secret']);
    const tx = await PamTransaction.start({ service: 'matrix', user: 'alice', confDir, conversation: rec.conversation });
    await tx.authenticate();
    expect(rec.transcript).toEqual(['echo-off Password: ', 'info Authentication succeeded']);
    // pam_matrix passes resp == NULL for its info message: that call still reached JS.
    expect(rec.batches).toEqual([1, 1]);
    await tx.acctMgmt();
    await tx.setcred('establish');
    expect(await tx.getenvlist()).toEqual({ CRED: '/tmp/alice' });
    await tx.openSession();
    expect(await tx.getenv('HOMEDIR')).toBe('/home/alice');
    expect(await tx.getenvlist()).toEqual({ CRED: '/tmp/alice', HOMEDIR: '/home/alice' });
    await tx.closeSession();
    expect(await tx.getenv('HOMEDIR')).toBeUndefined();
    await tx.setcred('delete');
    await tx.end();
  });

  it('rejects a wrong password and an unknown user with PAM_AUTH_ERR', async () => {
    const { confDir } = matrixStack();
    for (const [user, password] of [
      ['alice', 'wrong'],
      ['nobody-here', 'secret'],
    ]) {
      const rec = scripted([password]);
      const tx = await PamTransaction.start({ service: 'matrix', user, confDir, conversation: rec.conversation });
      await expect(tx.authenticate()).rejects.toMatchObject({ code: 'PAM_AUTH_ERR', operation: 'authenticate' });
      expect(rec.transcript).toEqual(['echo-off Password: ', 'error Authentication failed']);
      await tx.end();
    }
  });

  it('denies the account for a user of another service', async () => {
    const { confDir } = matrixStack();
    const tx = await PamTransaction.start({ service: 'matrix', user: 'bob', confDir, conversation: scripted(['hunter2']).conversation });
    await tx.authenticate();
    await expect(tx.acctMgmt()).rejects.toMatchObject({ code: 'PAM_PERM_DENIED', operation: 'acctMgmt' });
    await tx.end();
  });

  it('changes the password; the new one works and the old one does not', async () => {
    const { confDir, passdb } = matrixStack();
    const change = scripted(['secret', 'N3w-secret', 'N3w-secret']);
    const tx = await PamTransaction.start({ service: 'matrix', user: 'alice', confDir, conversation: change.conversation });
    await tx.chauthtok();
    await tx.end();
    expect(change.transcript.filter((t) => t.startsWith('echo-off'))).toEqual([
      'echo-off Old password: ',
      'echo-off New Password :',
      'echo-off Verify New Password :',
    ]);
    expect(readFileSync(passdb, 'utf8')).toContain('alice:N3w-secret:matrix');
    for (const [password, ok] of [
      ['N3w-secret', true],
      ['secret', false],
    ] as const) {
      const tx2 = await PamTransaction.start({ service: 'matrix', user: 'alice', confDir, conversation: scripted([password]).conversation });
      const result = await tx2.authenticate().then(
        () => true,
        () => false,
      );
      expect(result).toBe(ok);
      await tx2.end();
    }
  });

  it('asks for the user name when none is given, and the item holds it afterwards', async () => {
    const conf = makeConfDir({ who: `auth required pam_permit.so` });
    const rec = scripted(['alice']);
    const tx = await PamTransaction.start({ service: 'who', confDir: conf.dir, conversation: rec.conversation });
    expect(await tx.getItem('user')).toBeNull();
    await tx.authenticate();
    expect(rec.transcript).toEqual(['echo-on login:']);
    expect(await tx.getItem('user')).toBe('alice');
    await tx.end();
  });
});

describe('pam_stress', () => {
  it('delivers a batch of three messages in one conversation call', async () => {
    const conf = makeConfDir({
      stress: `auth required pam_stress.so
               password required pam_stress.so`,
    });
    const rec = scripted(['anything', 'n3w', 'n3w']);
    const tx = await PamTransaction.start({ service: 'stress', user: 'alice', confDir: conf.dir, conversation: rec.conversation });
    await tx.authenticate();
    await tx.chauthtok();
    expect(rec.batches).toEqual([1, 3]);
    expect(rec.transcript).toEqual([
      'echo-off STRESS Password: ',
      'info Changing STRESS password for alice.',
      'echo-off Enter new STRESS password: ',
      'echo-off Retype new STRESS password: ',
    ]);
    await tx.end();
  });

  it('passes the module\'s verdict on mismatched answers of one batch', async () => {
    const conf = makeConfDir({ stress: `password required pam_stress.so` });
    const rec = scripted(['one', 'two']);
    const tx = await PamTransaction.start({ service: 'stress', user: 'alice', confDir: conf.dir, conversation: rec.conversation });
    await expect(tx.chauthtok()).rejects.toMatchObject({ code: 'PAM_AUTHTOK_ERR' });
    expect(rec.transcript.at(-1)).toBe('error Verification mis-typed; password unchanged');
    await tx.end();
  });
});

describe('items', () => {
  it('sets and reads back every string item', async () => {
    const conf = makeConfDir({ items: `auth required pam_permit.so` });
    const tx = await PamTransaction.start({ service: 'items', user: 'alice', confDir: conf.dir, conversation: scripted().conversation });
    expect(await tx.getItem('service')).toBe('items');
    expect(await tx.getItem('user')).toBe('alice');
    expect(await tx.getItem('tty')).toBeNull();
    const values = {
      user: 'bob',
      tty: '/dev/tty7',
      rhost: 'host.example',
      ruser: 'carol',
      user_prompt: 'Who are you? ',
      xdisplay: ':0',
      authtok_type: 'UNIX',
    } as const;
    for (const [name, value] of Object.entries(values)) {
      await tx.setItem(name as keyof typeof values, value);
      expect(await tx.getItem(name as keyof typeof values)).toBe(value);
    }
    await tx.setXauthData('MIT-MAGIC-COOKIE-1', new Uint8Array(16).fill(7));
    await tx.end();
  });
});

describe('environment', () => {
  it('puts, reads, lists and unsets variables', async () => {
    const conf = makeConfDir({ env: `auth required pam_permit.so` });
    const tx = await PamTransaction.start({ service: 'env', user: 'alice', confDir: conf.dir, conversation: scripted().conversation });
    await tx.putenv('XDG_SEAT=seat0');
    await tx.putenv('EMPTY=');
    await tx.putenv('__proto__=data');
    expect(await tx.getenv('XDG_SEAT')).toBe('seat0');
    expect(await tx.getenv('EMPTY')).toBe('');
    const list = await tx.getenvlist();
    expect(list).toEqual({ XDG_SEAT: 'seat0', EMPTY: '', ['__proto__']: 'data' });
    expect(Object.getPrototypeOf(list)).toBe(Object.prototype);
    await tx.putenv('XDG_SEAT');
    expect(await tx.getenv('XDG_SEAT')).toBeUndefined();
    // Unsetting what is not set is PAM's own error.
    await expect(tx.putenv('NEVER_SET')).rejects.toMatchObject({ code: 'PAM_BAD_ITEM', operation: 'putenv' });
    await tx.end();
  });

  it('passes variables set by pam_env at setcred and open_session', async () => {
    const conf = makeConfDir({});
    const { writeFileSync } = await import('node:fs');
    const envConf = `${conf.dir}/pam_env.conf`;
    writeFileSync(envConf, 'GH_GREETING DEFAULT="hello @{PAM_USER}"\nGH_FROM_APP DEFAULT=unset OVERRIDE=${APPVAR}\n');
    conf.write(
      'sess',
      `auth required pam_permit.so
       session required pam_env.so conffile=${envConf} readenv=0 user_readenv=0`,
    );
    const tx = await PamTransaction.start({ service: 'sess', user: 'alice', confDir: conf.dir, conversation: scripted().conversation });
    await tx.putenv('APPVAR=from-app');
    await tx.openSession();
    expect(await tx.getenvlist()).toEqual({ APPVAR: 'from-app', GH_GREETING: 'hello alice', GH_FROM_APP: 'from-app' });
    await tx.end();
  });
});
