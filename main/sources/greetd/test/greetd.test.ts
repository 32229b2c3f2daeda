// greetd as the PAM source, through Debian's real greetd 0.9: greetd in the /etc
// overlay with the lab's test users, its default_session `gatehouse check
// --flow login --source greetd --json` running as the greeter user (see
// greetd-process.ts for how, and why greetd gets no VT here). The test answers
// the greeter on greetd's stdin and reads check's JSON lines and the session's
// output on greetd's stdout.
import { describe, expect, it } from 'vitest';
import { makeOtpUsers, otpPrompt } from '../../../../lab/otp';
import { describeInEtcOverlay } from '../../../../lab/skip';
import { otpStack, unixStack } from '../../../../lab/stacks';
import { PASSWORD, SHARED_GROUP, USERS } from '../../../../lab/users';
import { runCli } from '../../../test/cli-process';
import { NO_PASSWORD_CHANGE } from '..';
import { PROBE_PATTERN, startGreetd, type RunningGreetd } from './greetd-process';

const ok = (op: string) => ({ event: 'result', op, ok: true, code: 'PAM_SUCCESS', errno: 0, message: 'Success' });

/** Runs `body` with a greetd, and stops greetd (and all it started) afterwards. */
async function withGreetd(setup: Parameters<typeof startGreetd>[0], body: (g: RunningGreetd) => Promise<void>): Promise<void> {
  const greetd = startGreetd(setup);
  try {
    await body(greetd);
  } finally {
    await greetd.stop();
  }
}

function assertNoSecret(greetd: RunningGreetd, secrets: string[]): void {
  for (const secret of secrets) {
    for (const text of [greetd.stdout(), greetd.stderr(), greetd.greeterLog()]) {
      if (text.includes(secret)) throw new Error('an answer appeared in what greetd or the greeter wrote');
    }
  }
}

describe('gatehouse check --source greetd: usage', () => {
  it('needs $GREETD_SOCK, a login flow, and greetd’s own PAM service', async () => {
    const env = { GREETD_SOCK: '' };
    const [noSocket, unlock, service] = await Promise.all([
      runCli(['check', '--flow', 'login', '--source', 'greetd'], { env }),
      runCli(['check', '--flow', 'unlock', '--source', 'greetd'], { env: { GREETD_SOCK: '/run/greetd-1.sock' } }),
      runCli(['check', '--flow', 'login', '--source', 'greetd', '--service', 'login'], { env: { GREETD_SOCK: '/run/greetd-1.sock' } }),
    ]);
    expect(noSocket.stderr).toMatch(/\$GREETD_SOCK is not set/);
    expect(unlock.stderr).toMatch(/greetd runs logins only/);
    expect(service.stderr).toMatch(/greetd chooses its PAM service/);
    for (const result of [noSocket, unlock, service]) expect(result.status).toBe(2);
  });
});

describeInEtcOverlay('greetd 0.9 as the PAM source (check as its greeter)', () => {
  it('logs in with the right password; greetd starts the session as the user once the greeter has exited', async () => {
    const user = USERS.greetdLogin;
    await withGreetd({ service: unixStack({ failDelayUs: 0 }), user: user.name }, async (greetd) => {
      await greetd.nextEvent((e) => e.event === 'prompt');
      greetd.answer(PASSWORD);
      await greetd.nextEvent((e) => e.event === 'outcome');
      expect(greetd.events()).toEqual([
        { event: 'prompt', id: 'b1.0', style: 'echo-off', text: 'Password: ' },
        ok('authenticate'),
        ok('acct_mgmt'),
        ok('setcred'),
        { event: 'outcome', ok: true, code: 'PAM_SUCCESS' },
      ]);
      await greetd.waitForOutput(PROBE_PATTERN);
      const [, uid, gid, groups, name, type, sessionClass] = PROBE_PATTERN.exec(greetd.stdout())!;
      expect({ uid: Number(uid), gid: Number(gid), name, type, sessionClass }).toEqual({
        uid: user.uid,
        gid: user.uid,
        name: user.name,
        type: 'wayland', // the engine's XDG_SESSION_TYPE, passed in start_session's env
        sessionClass: 'user',
      });
      expect(groups!.split(' ').map(Number)).toContain(SHARED_GROUP.gid);
      expect(greetd.greeterLog()).toContain('"event":"session-handed-over"');
      // The session over, greetd starts its greeter again.
      const afterSession = greetd.events().length;
      await greetd.nextEvent((e) => e.event === 'prompt', afterSession);
      assertNoSecret(greetd, [PASSWORD]);
    });
  });

  it('a wrong password: PAM_AUTH_ERR, asking for the user name first; no countdown of the module\'s fail delay', async () => {
    await withGreetd({ service: unixStack({ failDelayUs: 400_000 }) }, async (greetd) => {
      const name = await greetd.nextEvent((e) => e.event === 'prompt');
      expect(name).toMatchObject({ style: 'echo-on', text: 'login:' });
      greetd.answer(USERS.greetdLogin.name);
      const password = await greetd.nextEvent((e) => e.event === 'prompt' && e.style === 'echo-off');
      expect(password.text).toBe('Password: ');
      const answeredAt = Date.now();
      greetd.answer('not-the-password');
      const outcome = await greetd.nextEvent((e) => e.event === 'outcome');
      // libpam sleeps the delay inside greetd's worker before greetd answers.
      expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(150);
      expect(outcome).toEqual({ event: 'outcome', ok: false, code: 'PAM_AUTH_ERR' });
      expect(greetd.events()).toContainEqual({
        event: 'result', op: 'authenticate', ok: false, code: 'PAM_AUTH_ERR', errno: 7, message: 'Authentication failure',
      });
      // The module's delay (400 ms here) is slept in greetd and never shown; the
      // only countdown is the engine's own minimum between attempts (2 s).
      const delays = greetd.events().filter((e) => e.event === 'delay');
      expect(delays).toHaveLength(1);
      expect(delays[0]!.ms).toBeGreaterThan(1_500);
      expect(delays[0]!.ms).toBeLessThanOrEqual(2_000);
      // check ends after one attempt, and greetd ends with its greeter.
      await greetd.exited();
      expect(greetd.stderr()).toContain('greeter exited without creating a session');
      expect(greetd.stdout()).not.toMatch(PROBE_PATTERN);
      assertNoSecret(greetd, ['not-the-password']);
    });
  });

  it('a second factor: the password, then a one-time code (pam_oath), each its own prompt', async () => {
    const user = USERS.greetdOtp;
    const otp = makeOtpUsers([user.name]);
    await withGreetd({ service: otpStack(otp.usersFile, { failDelayUs: 0 }), user: user.name }, async (greetd) => {
      await greetd.nextEvent((e) => e.event === 'prompt' && e.text === 'Password: ');
      greetd.answer(PASSWORD);
      const second = await greetd.nextEvent((e) => e.event === 'prompt' && e.text === otpPrompt(user.name));
      expect(second).toMatchObject({ style: 'echo-off', id: 'b2.0' });
      const code = otp.code(user.name);
      greetd.answer(code);
      expect(await greetd.nextEvent((e) => e.event === 'outcome')).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
      await greetd.waitForOutput(PROBE_PATTERN);
      expect(PROBE_PATTERN.exec(greetd.stdout())![4]).toBe(user.name);
      assertNoSecret(greetd, [PASSWORD, code]);
    });
  });

  it('cancel at the second factor: CANCELLED, and no session starts', async () => {
    const user = USERS.greetdOtp;
    const otp = makeOtpUsers([user.name]);
    await withGreetd({ service: otpStack(otp.usersFile, { failDelayUs: 0 }), user: user.name }, async (greetd) => {
      await greetd.nextEvent((e) => e.event === 'prompt');
      greetd.answer(PASSWORD);
      await greetd.nextEvent((e) => e.event === 'prompt' && e.text === otpPrompt(user.name));
      greetd.endInput(); // the end of input cancels check's flow
      expect(await greetd.nextEvent((e) => e.event === 'outcome')).toEqual({ event: 'outcome', ok: false, code: 'CANCELLED' });
      // Only the PAM call greetd reported: authenticate never finished.
      expect(greetd.events().filter((e) => e.event === 'result')).toEqual([]);
      await greetd.exited();
      expect(greetd.stderr()).toContain('greeter exited without creating a session');
      expect(greetd.stdout()).not.toMatch(PROBE_PATTERN);
      expect(greetd.greeterLog()).toMatch(/"event":"attempt".*"code":"CANCELLED"/);
    });
  });

  it('an expired password: greetd cannot change it; the user is told, the outcome says so', async () => {
    await withGreetd({ service: unixStack({ failDelayUs: 0 }), user: USERS.greetdExpired.name }, async (greetd) => {
      await greetd.nextEvent((e) => e.event === 'prompt');
      greetd.answer(PASSWORD);
      expect(await greetd.nextEvent((e) => e.event === 'outcome')).toEqual({ event: 'outcome', ok: false, code: 'PAM_NEW_AUTHTOK_REQD' });
      const events = greetd.events();
      expect(events).toContainEqual({
        event: 'message',
        kind: 'error',
        text: 'You are required to change your password immediately (administrator enforced).',
      });
      expect(events).toContainEqual({ event: 'message', kind: 'error', text: NO_PASSWORD_CHANGE });
      expect(events.filter((e) => e.event === 'result').map((e) => [e.op, e.code])).toEqual([
        ['authenticate', 'PAM_SUCCESS'],
        ['acct_mgmt', 'PAM_NEW_AUTHTOK_REQD'],
      ]);
      expect(greetd.stdout()).not.toMatch(PROBE_PATTERN);
    });
  });
});
