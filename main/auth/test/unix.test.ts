// Real pam_unix + pam_pwquality with the lab's test users (root, /etc overlay):
// right and wrong passwords, pam_unix's own fail delay, the expired-password
// change with a weak then a strong password, account states, stock modules
// talking while no prompt is pending, and the audit line.
import { afterEach, expect, it } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { module } from '../../../lab/paths';
import { describeInEtcOverlay } from '../../../lab/skip';
import { messageStack, unixStack } from '../../../lab/stacks';
import { NEW_PASSWORD, PASSWORD, USERS, WEAK_PASSWORD } from '../../../lab/users';
import type { EngineOptions } from '../api';
import { drive, logEntries } from './driver';
import type { Driver } from './driver';

const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

function unlock(user: string, service: string, extra: Partial<EngineOptions> = {}): Driver {
  const conf = makeConfDir({ unix: service });
  const d = drive({ mode: 'unlock', service: 'unix', confDir: conf.dir, user, ...extra });
  drivers.push(d);
  return d;
}

/** pam_unix alone in the password group. */
function unixModuleLine(): string {
  return `${module('pam_unix.so')} yescrypt`;
}

function noSecretsIn(d: Driver): void {
  const logged = d.logs.join('\n');
  for (const secret of [PASSWORD, NEW_PASSWORD, WEAK_PASSWORD]) expect(logged).not.toContain(secret);
}

describeInEtcOverlay('pam_unix', () => {
  it('unlocks with the right password, and writes one audit line', async () => {
    const d = unlock(USERS.plain.name, unixStack());
    d.send({ type: 'begin' });
    expect(await d.answerNext(PASSWORD)).toMatchObject({ style: 'echo-off', text: 'Password: ' });
    expect(await d.next('outcome')).toMatchObject({ ok: true, code: 'PAM_SUCCESS' });
    // pam_unix asks for ~2 s on every attempt; only a failure holds the next one.
    expect(d.events.some((e) => e.type === 'delay')).toBe(false);
    const audit = logEntries(d.logs, 'attempt');
    expect(audit).toHaveLength(1);
    expect(Object.keys(audit[0]!).sort()).toEqual(['code', 'durationMs', 'event', 'mode', 'ok', 'reason', 'service', 'time', 'user']);
    expect(audit[0]).toMatchObject({ mode: 'unlock', service: 'unix', user: USERS.plain.name, ok: true, code: 'PAM_SUCCESS' });
    expect(Date.parse(audit[0]!.time as string)).not.toBeNaN();
    noSecretsIn(d);
  });

  it('refuses a wrong password at once, then holds the next attempt for pam_unix\'s ~2 s', async () => {
    const d = unlock(USERS.plain.name, unixStack());
    const startedAt = Date.now();
    d.send({ type: 'begin' });
    await d.answerNext('Wrong-Horse-Battery');
    const delay = await d.next('delay');
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR', reason: 'Authentication failure' });
    expect(delay.until - startedAt).toBeGreaterThanOrEqual(900);
    expect(delay.until - startedAt).toBeLessThanOrEqual(4_000);
    expect(d.outcomes[0]!.durationMs).toBeLessThan(900);
    d.send({ type: 'begin' });
    expect(await d.next('refused')).toMatchObject({ request: 'begin' });
    expect(logEntries(d.logs, 'attempt')).toMatchObject([{ user: USERS.plain.name, ok: false, code: 'PAM_AUTH_ERR' }]);
    noSecretsIn(d);
  });

  it('changes an expired password: the module\'s prompts and pwquality\'s rejection pass through; the new one works', async () => {
    const user = USERS.expiredUnlock.name;
    const d = unlock(user, unixStack({ failDelayUs: 100_000 }));
    d.send({ type: 'begin' });
    await d.answerNext(PASSWORD);
    expect(await d.answerNext(PASSWORD)).toMatchObject({ text: 'Current password: ' });
    expect(await d.answerNext(WEAK_PASSWORD)).toMatchObject({ text: 'New password: ' });
    expect(await d.answerNext(NEW_PASSWORD)).toMatchObject({ text: 'New password: ' });
    expect(await d.answerNext(NEW_PASSWORD)).toMatchObject({ text: 'Retype new password: ' });
    expect(await d.next('outcome')).toMatchObject({ ok: true, code: 'PAM_SUCCESS' });
    expect(d.transcript()).toEqual([
      'busy',
      'phase authenticate',
      'prompt echo-off Password: ',
      'busy',
      'phase account',
      'message error You are required to change your password immediately (administrator enforced).',
      'phase change-password',
      `message info Changing password for ${user}.`,
      'prompt echo-off Current password: ',
      'busy',
      'prompt echo-off New password: ',
      'busy',
      'message error BAD PASSWORD: The password is shorter than 12 characters',
      'prompt echo-off New password: ',
      'busy',
      'prompt echo-off Retype new password: ',
      'busy',
      'phase done',
      'outcome ok PAM_SUCCESS',
    ]);
    expect(d.results.map((r) => `${r.op} ${r.code}`)).toEqual([
      'start PAM_SUCCESS',
      'authenticate PAM_SUCCESS',
      'acct_mgmt PAM_NEW_AUTHTOK_REQD',
      'chauthtok PAM_SUCCESS',
      'setcred PAM_SUCCESS',
      'end PAM_SUCCESS',
    ]);
    noSecretsIn(d);

    const again = unlock(user, unixStack({ failDelayUs: 100_000 }));
    again.send({ type: 'begin' });
    await again.answerNext(NEW_PASSWORD);
    expect(await again.next('outcome')).toMatchObject({ ok: true });
    const old = unlock(user, unixStack({ failDelayUs: 100_000 }));
    old.send({ type: 'begin' });
    await old.answerNext(PASSWORD);
    expect(await old.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
  });

  it('a mistyped new password is asked for again in the same transaction (pam_unix alone: PAM_TRY_AGAIN)', async () => {
    const user = USERS.expiredRetry.name;
    // pam_unix without pwquality: libpam's pam_get_authtok returns PAM_TRY_AGAIN on a
    // mismatch and pam_unix gives up at once (its retry loop covers only rejections).
    const stack = `${unixStack({ failDelayUs: 100_000 }).replace(/^password .*\n/gm, '')}\npassword required ${unixModuleLine()}`;
    const d = unlock(user, stack);
    d.send({ type: 'begin' });
    await d.answerNext(PASSWORD);
    expect(await d.answerNext(PASSWORD)).toMatchObject({ text: 'Current password: ' });
    expect(await d.answerNext(NEW_PASSWORD)).toMatchObject({ text: 'New password: ' });
    expect(await d.answerNext(`${NEW_PASSWORD}-typo`)).toMatchObject({ text: 'Retype new password: ' });
    // Still in the change step: asked again, already authenticated.
    expect(await d.answerNext(PASSWORD)).toMatchObject({ text: 'Current password: ' });
    expect(await d.answerNext(NEW_PASSWORD)).toMatchObject({ text: 'New password: ' });
    expect(await d.answerNext(NEW_PASSWORD)).toMatchObject({ text: 'Retype new password: ' });
    expect(await d.next('outcome')).toMatchObject({ ok: true, code: 'PAM_SUCCESS' });
    const transcript = d.transcript();
    const mismatch = transcript.indexOf('message error Sorry, passwords do not match.');
    expect(mismatch).toBeGreaterThan(0);
    expect(transcript.slice(mismatch, mismatch + 3)).toEqual([
      'message error Sorry, passwords do not match.',
      'phase change-password',
      `message info Changing password for ${user}.`,
    ]);
    expect(transcript.filter((line) => line === 'phase authenticate')).toHaveLength(1);
    expect(d.results.map((r) => `${r.op} ${r.code}`)).toEqual([
      'start PAM_SUCCESS',
      'authenticate PAM_SUCCESS',
      'acct_mgmt PAM_NEW_AUTHTOK_REQD',
      'chauthtok PAM_TRY_AGAIN',
      'chauthtok PAM_SUCCESS',
      'setcred PAM_SUCCESS',
      'end PAM_SUCCESS',
    ]);
    expect(logEntries(d.logs, 'password-change-retry')).toEqual([expect.objectContaining({ code: 'PAM_TRY_AGAIN', call: 1 })]);
    noSecretsIn(d);
  });

  it('the stack\'s own retry= is the last word: three pwquality rejections end the attempt (PAM_MAXTRIES)', async () => {
    const d = unlock(USERS.expiredMaxTries.name, unixStack({ failDelayUs: 100_000 }));
    d.send({ type: 'begin' });
    await d.answerNext(PASSWORD);
    await d.answerNext(PASSWORD);
    for (let i = 0; i < 3; i++) expect(await d.answerNext(WEAK_PASSWORD)).toMatchObject({ text: 'New password: ' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_MAXTRIES' });
    expect(d.results.filter((r) => r.op === 'chauthtok').map((r) => r.code)).toEqual(['PAM_MAXTRIES']);
  });

  it('reports an expired account with the module\'s message', async () => {
    const d = unlock(USERS.acctExpired.name, unixStack({ failDelayUs: 100_000 }));
    d.send({ type: 'begin' });
    await d.answerNext(PASSWORD);
    expect(await d.next('message')).toMatchObject({
      kind: 'error',
      text: 'Your account has expired; please contact your system administrator.',
    });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_ACCT_EXPIRED' });
  });

  it('refuses a locked account', async () => {
    const d = unlock(USERS.locked.name, unixStack({ failDelayUs: 100_000 }));
    d.send({ type: 'begin' });
    await d.answerNext(PASSWORD);
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
  });

  it('shows what stock modules say while no prompt is pending, then asks', async () => {
    const user = USERS.plain.name;
    const { service, texts } = messageStack({ failDelayUs: 100_000, sleepSeconds: 1 });
    const d = unlock(user, service);
    d.send({ type: 'begin' });
    await d.next('message');
    await d.next('message');
    await d.next('message');
    const firstAt = Date.now();
    await d.next('message');
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(700); // pam_exec's script was still running
    await d.answerNext(PASSWORD);
    expect(await d.next('outcome')).toMatchObject({ ok: true });
    expect(d.transcript().slice(2, 7)).toEqual([
      `message info ${texts.welcome(user)}`,
      `message error ${texts.nologin}\n`,
      `message info ${texts.first}`,
      `message info ${texts.second}`,
      'prompt echo-off Password: ',
    ]);
  });
});

