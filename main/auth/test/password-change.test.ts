// Which way an expired password is changed, and how the flow follows passwd's
// runs: at the engine's seams (a fake transaction, a fake passwd run). The real
// thing — the system's setuid passwd as a non-root user — is in passwd.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangePasswordOutOfProcess, EngineOptions } from '../api';
import { PASSWD_RUNS } from '../flows/password-change';
import { drive } from './driver';
import type { Driver } from './driver';
import { fakeStarter } from './fake-transaction';

type Run = Parameters<ChangePasswordOutOfProcess>[0];

const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

/** An unlock (or elevate) of alice whose password has expired, as alice's own process. */
function expired(results: { ok: boolean; promptsAnswered: number }[], options: Partial<EngineOptions> = {}, deps: { processUser?: string; runningAsRoot?: boolean } = {}) {
  const starter = fakeStarter({ acctMgmt: 'PAM_NEW_AUTHTOK_REQD' });
  const runs: Run[] = [];
  const changePasswordOutOfProcess: ChangePasswordOutOfProcess = async (run) => {
    runs.push(run);
    const result = results[runs.length - 1] ?? { ok: false, promptsAnswered: 0 };
    return { ...result, status: result.ok ? 'exit 0' : 'exit 10' };
  };
  const d = drive(
    { mode: 'unlock', service: 'fake', user: 'alice', ...options },
    { startTransaction: starter.start, changePasswordOutOfProcess, processUser: 'alice', runningAsRoot: false, ...deps },
  );
  drivers.push(d);
  return { d, runs, started: starter.started };
}

describe('the expired-password change', () => {
  it('as the user on the system’s PAM configuration: through passwd for the process’s user, never pam_chauthtok', async () => {
    const { d, runs, started } = expired([{ ok: true, promptsAnswered: 3 }]);
    d.send({ type: 'begin' });
    expect(await d.next('outcome')).toMatchObject({ ok: true, code: 'PAM_SUCCESS' });
    expect(runs.map((r) => r.user)).toEqual(['alice']);
    expect(started[0]!.calls).toEqual(['authenticate', 'acctMgmt', 'setcred refresh', 'end']);
    expect(d.transcript()).toContain('phase change-password');
  });

  it('as root, or on a confDir stack (the demo, tests), or when configured so: pam_chauthtok', async () => {
    for (const [options, deps] of [
      [{}, { runningAsRoot: true }],
      [{ confDir: '/opt/demo/pam.d' }, {}],
      [{ passwordChange: 'pam' as const }, {}],
    ] as const) {
      const { d, runs, started } = expired([], options, deps);
      d.send({ type: 'begin' });
      expect(await d.next('outcome')).toMatchObject({ ok: true });
      expect(runs).toEqual([]);
      expect(started[0]!.calls).toContain('chauthtok');
    }
    const forced = expired([{ ok: true, promptsAnswered: 3 }], { confDir: '/opt/demo/pam.d', passwordChange: 'passwd' });
    forced.d.send({ type: 'begin' });
    expect(await forced.d.next('outcome')).toMatchObject({ ok: true });
    expect(forced.runs).toHaveLength(1);
  });

  it('without a passwd source plugged in: pam_chauthtok for auto; a configured passwd says it cannot', async () => {
    for (const [passwordChange, outcome] of [
      ['auto', { ok: true }],
      ['passwd', { ok: false, code: 'INTERNAL_ERROR', reason: 'the password cannot be changed here: passwordChange is passwd, and this host has no passwd source' }],
    ] as const) {
      const starter = fakeStarter({ acctMgmt: 'PAM_NEW_AUTHTOK_REQD' });
      const d = drive({ mode: 'unlock', service: 'fake', user: 'alice', passwordChange }, { startTransaction: starter.start, processUser: 'alice', runningAsRoot: false });
      drivers.push(d);
      d.send({ type: 'begin' });
      expect(await d.next('outcome')).toMatchObject(outcome);
      expect(starter.started[0]!.calls.includes('chauthtok')).toBe(passwordChange === 'auto');
    }
  });

  it('runs passwd again when it ran out of retries after a new password was asked for', async () => {
    const { d, runs } = expired([
      { ok: false, promptsAnswered: 4 },
      { ok: true, promptsAnswered: 3 },
    ]);
    d.send({ type: 'begin' });
    expect(await d.next('outcome')).toMatchObject({ ok: true });
    expect(runs).toHaveLength(2);
  });

  it('fails, as passwd reports it, when passwd ends before a new password (a wrong current one), or after the last run', async () => {
    const early = expired([{ ok: false, promptsAnswered: 1 }]);
    early.d.send({ type: 'begin' });
    expect(await early.d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTHTOK_ERR', reason: 'the password was not changed: passwd exit 10' });
    expect(early.runs).toHaveLength(1);

    const tired = expired(Array.from({ length: PASSWD_RUNS + 1 }, () => ({ ok: false, promptsAnswered: 5 })));
    tired.d.send({ type: 'begin' });
    expect(await tired.d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTHTOK_ERR' });
    expect(tired.runs).toHaveLength(PASSWD_RUNS);
  });

  it('changes no one’s password but the process user’s', async () => {
    const { d, runs } = expired([], {}, { processUser: 'bob' });
    d.send({ type: 'begin' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
    expect(runs).toEqual([]);
  });

  it('a cancel stops passwd (its signal is aborted) and ends the flow', async () => {
    const starter = fakeStarter({ acctMgmt: 'PAM_NEW_AUTHTOK_REQD' });
    let signal: AbortSignal | undefined;
    const changePasswordOutOfProcess: ChangePasswordOutOfProcess = (run) => {
      signal = run.signal;
      return new Promise((resolve) => run.signal.addEventListener('abort', () => resolve({ ok: false, status: 'signal 1', promptsAnswered: 0 })));
    };
    const d = drive({ mode: 'unlock', service: 'fake', user: 'alice' }, { startTransaction: starter.start, changePasswordOutOfProcess, processUser: 'alice', runningAsRoot: false });
    drivers.push(d);
    d.send({ type: 'begin' });
    await d.next('phase');
    await new Promise((resolve) => setTimeout(resolve, 50));
    d.send({ type: 'cancel' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'CANCELLED' });
    expect(signal?.aborted).toBe(true);
    expect(starter.started[0]!.calls.at(-1)).toBe('end');
  });
});
