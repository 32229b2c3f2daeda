// Real pam_unix, pam_pwquality and pam_faillock with real users. They run only as
// root inside the /etc overlay (scripts/with-etc-overlay.sh), never on the host's /etc.
import { expect, it } from 'vitest';
import { PamError, PamTransaction } from '../index';
import { makeConfDir } from '../../lab/confdir';
import { describeInEtcOverlay } from '../../lab/skip';
import { makeTempDir } from '../../lab/tmp';
import { NEW_PASSWORD, PASSWORD, USERS, WEAK_PASSWORD } from '../../lab/users';
import { scripted } from './helpers';

const UNIX = `auth     required  pam_unix.so
              account  required  pam_unix.so
              password requisite pam_pwquality.so retry=3 minlen=12
              password required  pam_unix.so use_authtok yescrypt
              session  required  pam_unix.so`;

function faillock(tally: string): string {
  const opts = `dir=${tally} deny=3 unlock_time=120`;
  return `auth     required                pam_faillock.so preauth ${opts}
          auth     [success=1 default=bad] pam_unix.so
          auth     [default=die]           pam_faillock.so authfail ${opts}
          auth     sufficient              pam_faillock.so authsucc ${opts}
          auth     required                pam_deny.so
          account  required                pam_faillock.so ${opts}
          account  required                pam_unix.so`;
}

async function attempt(service: string, confDir: string, user: string, answers: string[]) {
  const rec = scripted(answers);
  const tx = await PamTransaction.start({ service, user, confDir, conversation: rec.conversation });
  const started = performance.now();
  const error = await tx.authenticate().then(
    () => undefined,
    (e: unknown) => e as PamError,
  );
  const elapsedMs = performance.now() - started;
  return { tx, rec, error, elapsedMs };
}

describeInEtcOverlay('pam_unix', () => {
  const conf = makeConfDir({ unix: UNIX });

  it('accepts the right password and the account', async () => {
    const { tx, rec, error } = await attempt('unix', conf.dir, USERS.plain.name, [PASSWORD]);
    expect(error).toBeUndefined();
    expect(rec.transcript).toEqual(['echo-off Password: ']);
    await tx.acctMgmt();
    await tx.setcred('establish');
    await tx.openSession();
    await tx.closeSession();
    await tx.setcred('delete');
    // pam_unix asks for its 2 s delay (±50 %) on every attempt, success included.
    expect(tx.failDelayMs).toBeGreaterThanOrEqual(900);
    expect(tx.failDelayMs).toBeLessThanOrEqual(3100);
    await tx.end();
  });

  it('reports the fail delay of a wrong password instead of sleeping it', async () => {
    const { tx, error, elapsedMs } = await attempt('unix', conf.dir, USERS.plain.name, ['not the password']);
    expect(error).toBeInstanceOf(PamError);
    expect(error).toMatchObject({ code: 'PAM_AUTH_ERR', operation: 'authenticate' });
    expect(error!.failDelayMs).toBeGreaterThanOrEqual(900);
    expect(error!.failDelayMs).toBeLessThanOrEqual(3100);
    expect(tx.failDelayMs).toBe(error!.failDelayMs);
    // Without the PAM_FAIL_DELAY callback libpam would sleep 1-3 s here.
    expect(elapsedMs).toBeLessThan(700);
    await tx.end();
  });

  it('refuses a locked account after asking for the password', async () => {
    const { tx, rec, error } = await attempt('unix', conf.dir, USERS.locked.name, ['anything']);
    expect(error).toMatchObject({ code: 'PAM_AUTH_ERR' });
    expect(rec.transcript).toEqual(['echo-off Password: ']);
    await tx.end();
  });

  it('reports an expired account with the module\'s message', async () => {
    const { tx, rec, error } = await attempt('unix', conf.dir, USERS.acctExpired.name, [PASSWORD]);
    expect(error).toBeUndefined();
    await expect(tx.acctMgmt()).rejects.toMatchObject({ code: 'PAM_ACCT_EXPIRED', operation: 'acctMgmt' });
    expect(rec.transcript.at(-1)).toBe('error Your account has expired; please contact your system administrator.');
    await tx.end();
  });

  it('changes an expired password: a weak one is refused, a strong one works', async () => {
    const user = USERS.expiredAddon.name;
    const rec = scripted([PASSWORD, PASSWORD, WEAK_PASSWORD, NEW_PASSWORD, NEW_PASSWORD]);
    const tx = await PamTransaction.start({ service: 'unix', user, confDir: conf.dir, conversation: rec.conversation });
    await tx.authenticate();
    await expect(tx.acctMgmt()).rejects.toMatchObject({ code: 'PAM_NEW_AUTHTOK_REQD', operation: 'acctMgmt' });
    await tx.chauthtok({ changeExpiredAuthtok: true });
    await tx.acctMgmt();
    await tx.end();
    expect(rec.transcript).toEqual([
      'echo-off Password: ',
      'error You are required to change your password immediately (administrator enforced).',
      `info Changing password for ${user}.`,
      'echo-off Current password: ',
      'echo-off New password: ',
      'error BAD PASSWORD: The password is shorter than 12 characters',
      'echo-off New password: ',
      'echo-off Retype new password: ',
    ]);
    const fresh = await attempt('unix', conf.dir, user, [NEW_PASSWORD]);
    expect(fresh.error).toBeUndefined();
    await fresh.tx.acctMgmt();
    await fresh.tx.end();
    const old = await attempt('unix', conf.dir, user, [PASSWORD]);
    expect(old.error).toMatchObject({ code: 'PAM_AUTH_ERR' });
    await old.tx.end();
  });
});

describeInEtcOverlay('pam_faillock', () => {
  it('locks the account after three failures and says so', async () => {
    const conf = makeConfDir({ faillock: faillock(makeTempDir('gatehouse-tally-')) });
    const user = USERS.faillockAddon.name;
    for (let i = 0; i < 3; i++) {
      const { tx, error } = await attempt('faillock', conf.dir, user, ['wrong password']);
      expect(error).toMatchObject({ code: 'PAM_AUTH_ERR' });
      await tx.end();
    }
    const locked = await attempt('faillock', conf.dir, user, [PASSWORD]);
    expect(locked.error).toMatchObject({ code: 'PAM_AUTH_ERR' });
    expect(locked.rec.transcript).toEqual([
      'info The account is locked due to 3 failed logins.',
      'info (2 minutes left to unlock)',
      'echo-off Password: ',
    ]);
    // pam_faillock sends each lock message in a conversation call of its own.
    expect(locked.rec.batches).toEqual([1, 1, 1]);
    await locked.tx.end();
  });
});
