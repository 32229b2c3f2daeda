// The flows' state machines at their edges, through a fake transaction at the
// engine's own seam (see fake-transaction.ts): cleanup order when a step fails,
// interruptions while pam_start runs, unexpected errors, a stuck pam_end, the
// engine's clock for delays and lockouts. The same capabilities are covered
// through real libpam in the other suites.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Account, Accounts } from '../accounts';
import type { EngineOptions } from '../api';
import type { CommandSpec } from '../run-command';
import type { PreparedSession, SessionLaunch } from '../session-launcher';
import { SeatEngine, systemDeps } from '../engine';
import { END_GRACE_MS } from '../flows/steps';
import { drive, logEntries } from './driver';
import type { Driver } from './driver';
import { fakeStarter, pamError } from './fake-transaction';
import type { Behaviour } from './fake-transaction';

const alice: Account = { name: 'alice', uid: 4242, gid: 4242, fullName: 'Alice', home: '/', shell: '/bin/sh' };
const accounts: Accounts = {
  lookup: async (name) => (name === 'alice' ? alice : undefined),
  isMember: async (user, group) => user === 'alice' && group === 'wheel',
};

const loginOptions: Pick<EngineOptions, 'mode' | 'service'> & Partial<EngineOptions> = {
  mode: 'login',
  service: 'fake',
  login: {
    sessions: [{ id: 'shell', name: 'Shell', command: ['/bin/true'] }],
    sessionType: 'tty',
    sessionClass: 'user',
    seat: 'seat0',
    vtnr: 2,
    tty: 'tty2',
  },
};

const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

function loginDriver(behaviour: Record<string, Behaviour>, runCommand = async (_: CommandSpec) => 0) {
  const starter = fakeStarter(behaviour);
  const d = drive(loginOptions, { startTransaction: starter.start, accounts, runCommand, runningAsRoot: true });
  drivers.push(d);
  return { d, started: starter.started };
}

describe('login cleanup', () => {
  it('runs the whole sequence, in order, when everything succeeds', async () => {
    const commands: CommandSpec[] = [];
    const { d, started } = loginDriver({}, async (spec) => {
      commands.push(spec);
      return 0;
    });
    d.send({ type: 'begin', user: 'alice' });
    expect((await d.next('outcome')).ok).toBe(true);
    expect(started[0]!.calls).toEqual([
      'setItem tty=tty2',
      'authenticate',
      'acctMgmt',
      'setcred establish',
      'putenv XDG_SESSION_CLASS=user',
      'putenv XDG_SEAT=seat0',
      'putenv XDG_VTNR=2',
      'putenv XDG_SESSION_TYPE=tty',
      'putenv XDG_SESSION_DESKTOP=shell',
      'openSession',
      'getenvlist',
      'closeSession',
      'setcred delete',
      'end',
    ]);
    expect(commands[0]!.argv.slice(-2)).toEqual(['--', '/bin/true']);
    expect(commands[0]!.env).toMatchObject({ XDG_SEAT: 'seat0', HOME: '/', USER: 'alice', LOGNAME: 'alice' });
  });

  it('prepares a graphical session before open_session: its type and desktops, PAM_XDISPLAY and PAM_XAUTHDATA; released after setcred DELETE', async () => {
    const order: string[] = [];
    const cookie = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const starter = fakeStarter({});
    const launches: SessionLaunch[] = [];
    const prepared: PreparedSession = {
      xdisplay: ':5',
      xauth: { name: 'MIT-MAGIC-COOKIE-1', data: cookie },
      release: async () => void order.push(`release after ${starter.started[0]!.calls.at(-1)}`),
    };
    const d = drive(
      { ...loginOptions, login: { ...loginOptions.login!, sessions: [{ id: 'gnome-xorg', name: 'GNOME on Xorg', command: ['gnome-session'], type: 'x11', desktopNames: ['GNOME', 'GNOME-Classic'] }] } },
      {
        startTransaction: starter.start,
        accounts,
        runningAsRoot: true,
        prepareSession: async ({ session, account }) => {
          order.push(`prepare ${session.id} for ${account.name}`);
          return prepared;
        },
        launchSession: async (launch) => {
          launches.push(launch);
          return { kind: 'ended', exitStatus: 0 };
        },
      },
    );
    drivers.push(d);
    d.send({ type: 'begin', user: 'alice' });
    expect((await d.next('outcome')).ok).toBe(true);
    const tx = starter.started[0]!;
    expect(tx.calls.slice(tx.calls.indexOf('setcred establish'))).toEqual([
      'setcred establish',
      'putenv XDG_SESSION_CLASS=user',
      'putenv XDG_SEAT=seat0',
      'putenv XDG_VTNR=2',
      'putenv XDG_SESSION_TYPE=x11',
      'putenv XDG_SESSION_DESKTOP=gnome-xorg',
      'putenv XDG_CURRENT_DESKTOP=GNOME:GNOME-Classic',
      'setItem xdisplay=:5',
      'setXauthData MIT-MAGIC-COOKIE-1 16',
      'openSession',
      'getenvlist',
      'closeSession',
      'setcred delete',
      'end',
    ]);
    expect(order).toEqual(['prepare gnome-xorg for alice', 'release after setcred delete']);
    // PAM has its copy; the preparer's is wiped.
    expect([...tx.xauthData!]).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(cookie.every((b) => b === 0)).toBe(true);
    expect(launches[0]!.prepared).toBe(prepared);
  });

  it('a session that cannot be prepared (no X server) is SESSION_FAILED: credentials deleted, never opened', async () => {
    const starter = fakeStarter({});
    const launch = vi.fn(async () => ({ kind: 'ended' as const, exitStatus: 0 }));
    const d = drive(loginOptions, {
      startTransaction: starter.start,
      accounts,
      runningAsRoot: true,
      prepareSession: async () => ({ failed: 'the X server exited before it was ready (status 1)' }),
      launchSession: launch,
    });
    drivers.push(d);
    d.send({ type: 'begin', user: 'alice' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'SESSION_FAILED' });
    expect(starter.started[0]!.calls.slice(-3)).toEqual(['putenv XDG_SESSION_DESKTOP=shell', 'setcred delete', 'end']);
    expect(launch).not.toHaveBeenCalled();
  });

  it('deletes the credentials and ends when open_session fails; no session command runs', async () => {
    const run = vi.fn(async () => 0);
    const { d, started } = loginDriver({ openSession: 'PAM_SESSION_ERR' }, run);
    d.send({ type: 'begin', user: 'alice' });
    const outcome = await d.next('outcome');
    expect(outcome).toMatchObject({ ok: false, code: 'PAM_SESSION_ERR' });
    expect(started[0]!.calls.slice(-3)).toEqual(['openSession', 'setcred delete', 'end']);
    expect(run).not.toHaveBeenCalled();
  });

  it('only ends when setcred(establish) fails', async () => {
    const { d, started } = loginDriver({ setcred: 'PAM_CRED_ERR' });
    d.send({ type: 'begin', user: 'alice' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_CRED_ERR' });
    expect(started[0]!.calls.slice(-2)).toEqual(['setcred establish', 'end']);
  });

  it('closes the session when the session command cannot start', async () => {
    const { d, started } = loginDriver({}, async () => {
      throw Object.assign(new Error('spawn ENOENT'), { code: 'ENOENT' });
    });
    d.send({ type: 'begin', user: 'alice' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'SESSION_FAILED' });
    expect(started[0]!.calls.slice(-4)).toEqual(['getenvlist', 'closeSession', 'setcred delete', 'end']);
    expect(logEntries(d.logs, 'session-start-failed')).toMatchObject([{ error: 'ENOENT' }]);
  });

  it('turns an unexpected error into INTERNAL_ERROR and still tears everything down', async () => {
    const { d, started } = loginDriver({
      getenvlist: async () => {
        throw new TypeError('something unexpected');
      },
    });
    d.send({ type: 'begin', user: 'alice' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'INTERNAL_ERROR' });
    expect(started[0]!.calls.slice(-4)).toEqual(['getenvlist', 'closeSession', 'setcred delete', 'end']);
    expect(logEntries(d.logs, 'flow-error')).toMatchObject([{ state: 'run-session', error: 'TypeError' }]);
  });

  it('refuses cancel while the session runs; close() stops the command, then cleans up', async () => {
    let stopped = false;
    const { d, started } = loginDriver({}, (spec) => {
      return new Promise((resolve) => {
        spec.signal?.addEventListener('abort', () => {
          stopped = true;
          resolve(143);
        });
      });
    });
    d.send({ type: 'begin', user: 'alice' });
    await d.next('phase'); // authenticate
    while ((await d.next('phase')).name !== 'session');
    await vi.waitFor(() => expect(started[0]!.calls).toContain('getenvlist'));
    d.send({ type: 'cancel' });
    expect((await d.next('refused')).message).toMatch(/can no longer be cancelled/);
    await d.close();
    expect(stopped).toBe(true);
    expect(started[0]!.calls.slice(-3)).toEqual(['closeSession', 'setcred delete', 'end']);
    expect(d.outcomes[0]).toMatchObject({ ok: true, exitStatus: 143 });
  });
});

describe('interruptions', () => {
  it('a cancel that arrives while pam_start runs aborts the new transaction and ends it', async () => {
    let release!: () => void;
    const starter = fakeStarter({}, new Promise<void>((r) => (release = r)));
    const d = drive({ mode: 'unlock', service: 'fake', user: 'alice' }, { startTransaction: starter.start });
    drivers.push(d);
    d.send({ type: 'begin' });
    await vi.waitFor(() => expect(starter.calls.count).toBe(1));
    d.send({ type: 'cancel' });
    release();
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'CANCELLED' });
    expect(starter.started[0]!.calls).toEqual(['abort', 'end']);
  });

  it('a cancel before pam_start starts no transaction', async () => {
    const starter = fakeStarter({});
    const d = drive({ mode: 'unlock', service: 'fake', user: 'alice' }, { startTransaction: starter.start });
    drivers.push(d);
    d.send({ type: 'begin' });
    d.send({ type: 'cancel' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'CANCELLED' });
    expect(starter.calls.count).toBe(0);
    expect(d.results).toEqual([]);
  });

  it('frees the seat when pam_end does not return after an abort', async () => {
    const starter = fakeStarter({ authenticate: () => new Promise(() => undefined) });
    const d = drive({ mode: 'unlock', service: 'fake', user: 'alice' }, { startTransaction: starter.start });
    drivers.push(d);
    d.send({ type: 'begin' });
    await vi.waitFor(() => expect(starter.started[0]?.calls).toContain('authenticate'));
    starter.started[0]!.end = () => new Promise(() => undefined); // a module stuck for good
    const cancelledAt = Date.now();
    d.send({ type: 'cancel' });
    expect(await d.next('outcome')).toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - cancelledAt).toBeGreaterThanOrEqual(END_GRACE_MS - 50);
    expect(d.engine.busy).toBe(false);
  });
});

describe('observers', () => {
  it('an observer that throws does not break the flow', async () => {
    const starter = fakeStarter({});
    const logs: string[] = [];
    const outcomes: unknown[] = [];
    const engine = new SeatEngine(
      { mode: 'unlock', service: 'fake', user: 'alice', users: [], promptTimeoutMs: 0, power: [], locale: 'en', theme: 'default' },
      {
        event: () => {
          throw new Error('observer bug');
        },
        outcome: (o) => outcomes.push(o),
        log: (line) => logs.push(line),
      },
      { ...systemDeps(), startTransaction: starter.start },
    );
    engine.receive({ v: 1, type: 'begin' });
    await vi.waitFor(() => expect(outcomes).toHaveLength(1));
    expect(outcomes[0]).toMatchObject({ ok: true });
    expect(starter.started[0]!.calls.at(-1)).toBe('end');
    expect(logEntries(logs, 'observer-error').length).toBeGreaterThan(0);
  });

  it('without a log observer, audit lines go to stderr', async () => {
    const starter = fakeStarter({});
    const write = vi.spyOn(process.stderr, 'write');
    try {
      const outcomes: unknown[] = [];
      const engine = new SeatEngine(
        { mode: 'unlock', service: 'fake', user: 'alice', users: [], promptTimeoutMs: 0, power: [], locale: 'en', theme: 'default' },
        { event: () => undefined, outcome: (o) => outcomes.push(o) },
        { ...systemDeps(), startTransaction: starter.start },
      );
      engine.receive({ v: 1, type: 'begin' });
      await vi.waitFor(() => expect(outcomes).toHaveLength(1));
      const lines = write.mock.calls.map((c) => String(c[0]));
      expect(lines.some((l) => /"event":"attempt".*"service":"fake"/.test(l))).toBe(true);
    } finally {
      write.mockRestore();
    }
  });
});

describe('the engine clock', () => {
  it('holds new attempts for the fail delay, across transactions, and only that long', async () => {
    let now = 1_000_000;
    const starter = fakeStarter({
      authenticate: async () => {
        throw pamError('PAM_AUTH_ERR', 'authenticate', { failDelayMs: 2000 });
      },
    });
    const d = drive(
      { mode: 'unlock', service: 'fake', user: 'alice' },
      { startTransaction: starter.start, now: () => now },
    );
    drivers.push(d);
    d.send({ type: 'begin' });
    expect(await d.next('delay')).toMatchObject({ until: 1_002_000, reason: 'fail-delay' });
    await d.next('outcome');
    now += 1999;
    d.send({ type: 'begin' });
    expect((await d.next('refused')).message).toBe('too soon after a failed attempt: wait 1 s');
    expect(starter.started).toHaveLength(1);
    now += 1;
    d.send({ type: 'begin' });
    await d.next('outcome');
    expect(starter.started).toHaveLength(2);
  });

  it('locks a user out after maxFailures within the window, and lets them in after lockMs', async () => {
    let now = 5_000_000;
    let password = 'wrong';
    const starter = fakeStarter({
      authenticate: async () => {
        if (password !== 'right') throw pamError('PAM_AUTH_ERR', 'authenticate', { failDelayMs: 0 });
      },
    });
    const d = drive(
      { mode: 'unlock', service: 'fake', user: 'alice', lockout: { maxFailures: 2, windowMs: 60_000, lockMs: 30_000 } },
      { startTransaction: starter.start, now: () => now },
    );
    drivers.push(d);
    d.send({ type: 'begin' });
    expect((await d.next('outcome')).code).toBe('PAM_AUTH_ERR');
    now += 61_000; // the first failure leaves the window
    d.send({ type: 'begin' });
    expect((await d.next('outcome')).code).toBe('PAM_AUTH_ERR');
    d.send({ type: 'begin' });
    expect(await d.next('delay')).toMatchObject({ reason: 'lockout', until: now + 30_000 });
    expect((await d.next('outcome')).code).toBe('PAM_AUTH_ERR');
    password = 'right';
    d.send({ type: 'begin' });
    expect(await d.next('delay')).toMatchObject({ reason: 'lockout' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'LOCKED_OUT' });
    expect(starter.started).toHaveLength(3); // turned away before pam_start
    now += 30_000;
    d.send({ type: 'begin' });
    expect((await d.next('outcome')).ok).toBe(true);
  });
});

describe('elevate', () => {
  it('refuses a confirmation when a module switched PAM_USER to someone else', async () => {
    const starter = fakeStarter({
      authenticate: async (tx) => {
        tx.pamUser = 'mallory';
      },
    });
    const d = drive(
      { mode: 'elevate', service: 'fake', user: 'alice', elevate: { action: 'a', program: 'p' } },
      { startTransaction: starter.start, accounts, runningAsRoot: false },
    );
    drivers.push(d);
    d.send({ type: 'begin' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
    expect(starter.started[0]!.calls.at(-1)).toBe('end');
  });
});

describe('elevate with the identities a caller allows, and a limit on attempts', () => {
  function elevateDriver(elevate: Partial<NonNullable<EngineOptions['elevate']>>, behaviour: Record<string, Behaviour> = {}) {
    const starter = fakeStarter(behaviour);
    const d = drive(
      {
        mode: 'elevate',
        service: 'fake',
        users: (elevate.confirmers ?? []).map((name) => ({ name })),
        elevate: { action: 'Run a program', program: 'pkexec', ...elevate },
      },
      // As root with an admin group, the group would decide: confirmers override it.
      { startTransaction: starter.start, accounts, runningAsRoot: true },
    );
    drivers.push(d);
    return { d, started: starter.started };
  }

  it('one allowed identity is the fixed user; any other is refused before PAM runs', async () => {
    const { d, started } = elevateDriver({ confirmers: ['alice'], adminGroup: 'wheel' });
    d.send({ type: 'hello' });
    expect(await d.next('context')).toMatchObject({ user: 'alice', users: [{ name: 'alice' }] });
    d.send({ type: 'begin', user: 'bob' });
    expect(await d.next('refused')).toMatchObject({ request: 'begin', message: 'the user cannot be chosen here' });
    d.send({ type: 'begin' });
    expect(await d.next('outcome')).toMatchObject({ ok: true });
    expect(started[0]!.user).toBe('alice');
  });

  it('several allowed identities: the UI names one of them; someone else is not allowed', async () => {
    const { d, started } = elevateDriver({ confirmers: ['alice', 'carol'] });
    d.send({ type: 'hello' });
    const context = await d.next('context');
    expect(context.user).toBeUndefined();
    expect(context.users).toEqual([{ name: 'alice' }, { name: 'carol' }]);
    d.send({ type: 'begin' });
    expect(await d.next('refused')).toMatchObject({ message: 'choose who confirms (begin.user)' });
    d.send({ type: 'begin', user: 'mallory' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
    expect(started).toHaveLength(0);
    d.send({ type: 'begin', user: 'carol' });
    expect(await d.next('outcome')).toMatchObject({ ok: true });
    expect(started[0]!.user).toBe('carol');
  });

  it('the context shows the request: action id, details and request id', async () => {
    const details = [{ name: 'program', value: '/usr/bin/true' }];
    const { d } = elevateDriver({ confirmers: ['alice'], actionId: 'org.example.run', details, request: 'r-1' });
    d.send({ type: 'hello' });
    expect((await d.next('context')).elevate).toEqual({
      action: 'Run a program',
      program: 'pkexec',
      actionId: 'org.example.run',
      details,
      request: 'r-1',
    });
  });

  it('after maxAttempts failed attempts the outcome is final and no attempt follows', async () => {
    const { d, started } = elevateDriver({ confirmers: ['alice'], maxAttempts: 2 }, { authenticate: 'PAM_AUTH_ERR' });
    d.send({ type: 'begin' });
    expect(await d.next('outcome')).toEqual({ v: 1, type: 'outcome', ok: false, code: 'PAM_AUTH_ERR', reason: 'PAM_AUTH_ERR' });
    d.send({ type: 'begin' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR', final: true });
    expect(d.outcomes.at(-1)).toMatchObject({ final: true });
    d.send({ type: 'begin' });
    expect(await d.next('refused')).toMatchObject({ request: 'begin', message: 'this request is over: no further attempt is possible' });
    d.send({ type: 'cancel' });
    expect(await d.next('refused')).toMatchObject({ request: 'cancel', message: 'this request is over' });
    expect(started).toHaveLength(2);
  });

  it('cancelled attempts do not count; PAM_ABORT ends the request at once', async () => {
    let calls = 0;
    const { d } = elevateDriver(
      { confirmers: ['alice'], maxAttempts: 3 },
      {
        authenticate: async (tx) => {
          calls += 1;
          if (calls === 1) await tx.converse([{ style: 'echo-off', text: 'Password: ' }], { signal: new AbortController().signal });
          if (calls === 2) throw pamError('PAM_ABORT', 'authenticate');
        },
      },
    );
    d.send({ type: 'begin' });
    await d.next('prompt');
    d.send({ type: 'cancel' });
    expect(await d.next('outcome')).toMatchObject({ code: 'CANCELLED' });
    d.send({ type: 'begin' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_ABORT', final: true });
  });

  it('refuses options that make no sense', () => {
    const base = { mode: 'elevate' as const, service: 'fake', users: [], promptTimeoutMs: 0, power: [], locale: 'en', theme: 'default' };
    expect(() => new SeatEngine({ ...base, elevate: { action: 'a', program: 'p', maxAttempts: 0 } }, { event() {} }, systemDeps())).toThrow(/maxAttempts/);
    expect(() => new SeatEngine({ ...base, elevate: { action: 'a', program: 'p', confirmers: [] } }, { event() {} }, systemDeps())).toThrow(/confirmers/);
  });
});

describe('the password change asked again', () => {
  function unlockDriver(chauthtok: Behaviour) {
    const starter = fakeStarter({ acctMgmt: 'PAM_NEW_AUTHTOK_REQD', chauthtok });
    const d = drive({ mode: 'unlock', service: 'fake', user: 'alice' }, { startTransaction: starter.start });
    drivers.push(d);
    return { d, started: starter.started };
  }

  it('calls pam_chauthtok at most three times per flow, announcing the step each time', async () => {
    const { d, started } = unlockDriver('PAM_AUTHTOK_ERR');
    d.send({ type: 'begin' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTHTOK_ERR' });
    expect(started[0]!.calls.filter((c) => c === 'chauthtok')).toHaveLength(3);
    expect(d.transcript().filter((line) => line === 'phase change-password')).toHaveLength(3);
    expect(logEntries(d.logs, 'password-change-retry').map((e) => e.call)).toEqual([1, 2]);
  });

  it('does not ask again once the stack\'s own retries are used up, or for a system error', async () => {
    for (const code of ['PAM_MAXTRIES', 'PAM_SYSTEM_ERR', 'PAM_PERM_DENIED']) {
      const { d, started } = unlockDriver(code);
      d.send({ type: 'begin' });
      expect(await d.next('outcome')).toMatchObject({ ok: false, code });
      expect(started[0]!.calls.filter((c) => c === 'chauthtok'), code).toHaveLength(1);
    }
  });

  it('succeeds on a later call; the flow goes on', async () => {
    let calls = 0;
    const { d } = unlockDriver(async () => {
      calls += 1;
      if (calls === 1) throw pamError('PAM_TRY_AGAIN', 'chauthtok');
    });
    d.send({ type: 'begin' });
    expect(await d.next('outcome')).toMatchObject({ ok: true });
    expect(calls).toBe(2);
  });
});
