// pam_faillock around pam_unix (root, /etc overlay): three failures lock the
// account; the next attempt shows faillock's two info messages, and even the
// right password is refused.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { describeInEtcOverlay } from '../../../lab/skip';
import { faillockStack } from '../../../lab/stacks';
import { makeTempDir } from '../../../lab/tmp';
import { PASSWORD, USERS } from '../../../lab/users';
import { drive } from './driver';
import type { Driver } from './driver';

const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

async function waitOutDelay(d: Driver): Promise<void> {
  const delay = [...d.events].reverse().find((e) => e.type === 'delay');
  if (delay?.type === 'delay') await new Promise((r) => setTimeout(r, Math.max(0, delay.until - Date.now()) + 20));
}

describeInEtcOverlay('pam_faillock', () => {
  it('locks the account after three failures and says so in two info messages', async () => {
    const tally = join(makeTempDir('gatehouse-tally-'), 'tally');
    const conf = makeConfDir({ faillock: faillockStack(tally, { deny: 3, unlockTime: 120, failDelayUs: 50_000 }) });
    const d = drive({ mode: 'unlock', service: 'faillock', confDir: conf.dir, user: USERS.faillockEngine.name });
    drivers.push(d);
    for (let i = 1; i <= 3; i++) {
      d.send({ type: 'begin' });
      await d.answerNext(`Wrong-Password-${i}`);
      expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
      await waitOutDelay(d);
    }
    const before = d.events.length;
    d.send({ type: 'begin' });
    expect(await d.answerNext(PASSWORD)).toMatchObject({ text: 'Password: ' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
    const messages = d.events.slice(before).flatMap((e) => (e.type === 'message' ? [`${e.kind} ${e.text}`] : []));
    expect(messages).toEqual(['info The account is locked due to 3 failed logins.', 'info (2 minutes left to unlock)']);
    // Nothing was said on the three failures themselves.
    expect(d.events.slice(0, before).some((e) => e.type === 'message')).toBe(false);
  });
});
