// A TOTP second factor (pam_oath after pam_unix; root, /etc overlay): two
// prompts, the code computed with oathtool from a fresh key per test.
import { afterEach, expect, it } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { makeOtpUsers, otpPrompt } from '../../../lab/otp';
import { describeInEtcOverlay } from '../../../lab/skip';
import { otpStack } from '../../../lab/stacks';
import { PASSWORD, USERS } from '../../../lab/users';
import { drive } from './driver';
import type { Driver } from './driver';

const user = USERS.otpEngine.name;
const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

function otpDriver(usersFile: string): Driver {
  const conf = makeConfDir({ otp: otpStack(usersFile, { failDelayUs: 50_000 }) });
  const d = drive({ mode: 'unlock', service: 'otp', confDir: conf.dir, user });
  drivers.push(d);
  return d;
}

describeInEtcOverlay('OTP second factor (pam_oath)', () => {
  it('asks for the password, then the one-time code, and accepts the current code', async () => {
    const otp = makeOtpUsers([user]);
    const d = otpDriver(otp.usersFile);
    d.send({ type: 'begin' });
    const password = await d.answerNext(PASSWORD);
    const code = await d.answerNext(otp.code(user));
    expect(await d.next('outcome')).toMatchObject({ ok: true });
    expect([password.text, code.text, code.style]).toEqual(['Password: ', otpPrompt(user), 'echo-off']);
    expect(code.batch).not.toBe(password.batch);
  });

  it('refuses a wrong code silently, with PAM_AUTH_ERR', async () => {
    const otp = makeOtpUsers([user]);
    const d = otpDriver(otp.usersFile);
    d.send({ type: 'begin' });
    await d.answerNext(PASSWORD);
    await d.answerNext(otp.wrongCode(user));
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
    expect(d.events.some((e) => e.type === 'message')).toBe(false);
  });

  it('refuses a code used before (pam_oath remembers it)', async () => {
    const otp = makeOtpUsers([user]);
    const code = otp.code(user);
    const first = otpDriver(otp.usersFile);
    first.send({ type: 'begin' });
    await first.answerNext(PASSWORD);
    await first.answerNext(code);
    expect((await first.next('outcome')).ok).toBe(true);
    const replay = otpDriver(otp.usersFile);
    replay.send({ type: 'begin' });
    await replay.answerNext(PASSWORD);
    await replay.answerNext(code);
    expect(await replay.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
  });
});
