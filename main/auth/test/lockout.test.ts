// The lockout through real pam_unix (root, /etc overlay): no password oracle
// once an account is locked, also when PAM itself asks for the name; the
// tallies keyed by uid and kept in the state directory across engines; a
// minimum pause after each failure even when no module asks for one; and
// pam_faillock recognised in the stack. The state directory's own rules, the
// canonical key and the mechanism choice need no test users and run anywhere.
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { describeInEtcOverlay } from '../../../lab/skip';
import { SCRIPT_MODULE } from '../../../lab/paths';
import { faillockStack, unixStack } from '../../../lab/stacks';
import { makeTempDir } from '../../../lab/tmp';
import { PASSWORD, USERS } from '../../../lab/users';
import type { EngineOptions, LockoutPolicy, LoginSettings } from '../api';
import { LOCKOUT_FILE } from '../lockout-store';
import { drive, logEntries } from './driver';
import type { Driver } from './driver';
import { fakeStarter, pamError } from './fake-transaction';

const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

const WRONG = 'Not-The-Password-1';
const login: LoginSettings = { sessions: [{ id: 'true', name: 'Nothing', command: ['/bin/true'] }], sessionType: 'tty', sessionClass: 'user', seat: 'seat0' };

function policy(stateDir: string, extra: Partial<LockoutPolicy> = {}): LockoutPolicy {
  return { maxFailures: 3, windowMs: 60_000, lockMs: 60_000, mechanism: 'engine', stateDir, ...extra };
}

function engine(options: Pick<EngineOptions, 'mode' | 'service'> & Partial<EngineOptions>): Driver {
  const d = drive({ minFailDelayMs: 20, ...options });
  drivers.push(d);
  return d;
}

/** Waits out the last delay the engine announced (fail delay), so that the next begin is taken. */
async function waitOutFailDelay(d: Driver): Promise<void> {
  const delay = [...d.events].reverse().find((e) => e.type === 'delay' && e.reason === 'fail-delay');
  if (delay?.type === 'delay') await new Promise((r) => setTimeout(r, Math.max(0, delay.until - Date.now()) + 20));
}

/** The first event from `index` on whose type is one of `types`. */
async function firstOf(d: Driver, index: number, types: string[]) {
  for (let waited = 0; waited < 15_000; waited += 10) {
    const found = d.events.slice(index).find((e) => types.includes(e.type));
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${types.join(' or ')} event; events: ${JSON.stringify(d.events.slice(index))}`);
}

/** One login in which PAM asks for the name: the events and PAM results it produced. */
async function loginAttempt(d: Driver, name: string, password: string) {
  const events = d.events.length;
  const results = d.results.length;
  d.send({ type: 'begin' });
  const asked = await firstOf(d, events, ['prompt']);
  expect(asked).toMatchObject({ style: 'echo-on', text: 'login:' });
  if (asked.type === 'prompt') d.send({ type: 'answer', id: asked.id, value: name });
  // A locked account is stopped at the name: no password prompt comes.
  const after = d.events.indexOf(asked) + 1;
  const next = await firstOf(d, after, ['prompt', 'outcome']);
  if (next.type === 'prompt') {
    d.send({ type: 'answer', id: next.id, value: password });
    await firstOf(d, d.events.indexOf(next) + 1, ['outcome']);
  }
  await waitOutFailDelay(d);
  const transcript = d
    .transcript()
    .slice(events)
    .map((line) => line.replace(/\d{10,}/g, 'T'));
  return { transcript, results: d.results.slice(results).map((r) => `${r.op} ${r.code}`), outcome: d.events.filter((e) => e.type === 'outcome').at(-1)! };
}

describeInEtcOverlay('the lockout on pam_unix', () => {
  const user = USERS.plain;

  it('login, PAM asking the name: once locked, the right and the wrong password get the same answer', async () => {
    const stateDir = makeTempDir('gatehouse-lockout-');
    const conf = makeConfDir({ login: unixStack({ failDelayUs: 1_000 }) });
    const d = engine({ mode: 'login', service: 'login', confDir: conf.dir, login, lockout: policy(stateDir) });

    for (let i = 0; i < 3; i++) {
      const attempt = await loginAttempt(d, user.name, WRONG);
      expect(attempt.outcome).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
    }
    const wrong = await loginAttempt(d, user.name, WRONG);
    const right = await loginAttempt(d, user.name, PASSWORD);
    expect(wrong.outcome).toMatchObject({ ok: false, code: 'LOCKED_OUT' });
    expect(right.outcome).toMatchObject({ ok: false, code: 'LOCKED_OUT' });
    // Event for event the same: PAM was stopped at the name, before any password.
    expect(right.transcript).toEqual(wrong.transcript);
    expect(wrong.transcript).not.toContain('prompt echo-off Password: ');
    expect(right.results).toEqual(wrong.results);
    expect(wrong.results).not.toContain('authenticate PAM_SUCCESS');
    // Counted under the uid, in the state file.
    const state = readFileSync(join(stateDir, LOCKOUT_FILE), 'utf8');
    expect(state).toContain(`"key":"uid:${user.uid}"`);
    expect(state).not.toContain(user.name);
  });

  it('PAM asking the name with a prompt of its own: the answer is withheld, result and all', async () => {
    // A module asks "Who is there?" itself, then pam_unix asks for the password:
    // the lockout only learns the name once pam_authenticate has returned.
    const script = join(makeTempDir('gatehouse-who-'), 'script');
    writeFileSync(script, '[auth]\nget-user "Who is there? "\n');
    chmodSync(script, 0o644);
    const stack = [`auth requisite ${SCRIPT_MODULE} script=${script}`, unixStack({ failDelayUs: 1_000 })].join('\n');
    const stateDir = makeTempDir('gatehouse-lockout-');
    const conf = makeConfDir({ login: stack });
    const d = engine({ mode: 'login', service: 'login', confDir: conf.dir, login, lockout: policy(stateDir) });
    const attempt = async (password: string) => {
      const events = d.events.length;
      const results = d.results.length;
      d.send({ type: 'begin' });
      expect(await d.answerNext(user.name)).toMatchObject({ text: 'Who is there? ' });
      await d.answerNext(password);
      const outcome = await d.next('outcome');
      await waitOutFailDelay(d);
      return {
        outcome,
        transcript: d.transcript().slice(events),
        results: d.results.slice(results).map((r) => `${r.op} ${r.code}`),
      };
    };
    for (let i = 0; i < 3; i++) expect((await attempt(WRONG)).outcome).toMatchObject({ code: 'PAM_AUTH_ERR' });
    const wrong = await attempt(WRONG);
    const right = await attempt(PASSWORD);
    expect(wrong.outcome).toMatchObject({ ok: false, code: 'LOCKED_OUT' });
    expect(right.outcome).toMatchObject({ ok: false, code: 'LOCKED_OUT' });
    expect(right.transcript).toEqual(wrong.transcript);
    // pam_authenticate's own result is not reported either (gatehouse check would print it).
    expect(right.results).toEqual(['start PAM_SUCCESS', 'end PAM_SUCCESS']);
    expect(wrong.results).toEqual(right.results);
  });

  it('keeps the tallies across engines (a restart, another process): the next one turns the user away without PAM', async () => {
    const stateDir = makeTempDir('gatehouse-lockout-');
    const conf = makeConfDir({ unlock: unixStack({ failDelayUs: 1_000 }) });
    const first = engine({ mode: 'unlock', service: 'unlock', confDir: conf.dir, user: user.name, lockout: policy(stateDir) });
    for (let i = 0; i < 3; i++) {
      first.send({ type: 'begin' });
      await first.answerNext(WRONG);
      expect(await first.next('outcome')).toMatchObject({ code: 'PAM_AUTH_ERR' });
      await waitOutFailDelay(first);
    }
    expect(first.events.filter((e) => e.type === 'delay' && e.reason === 'lockout')).toHaveLength(1);
    await first.close();

    const second = engine({ mode: 'unlock', service: 'unlock', confDir: conf.dir, user: user.name, lockout: policy(stateDir) });
    second.send({ type: 'begin' });
    expect(await second.next('delay')).toMatchObject({ reason: 'fail-delay' });
    expect(await second.next('delay')).toMatchObject({ reason: 'lockout' });
    expect(await second.next('outcome')).toMatchObject({ ok: false, code: 'LOCKED_OUT' });
    expect(second.results).toEqual([]);
    expect(logEntries(second.logs, 'lockout')).toEqual([
      expect.objectContaining({ mechanism: 'engine', state: join(stateDir, LOCKOUT_FILE) }),
    ]);
  });

  it('locks names NSS does not know like real ones, and stores them only hashed', async () => {
    const stateDir = makeTempDir('gatehouse-lockout-');
    const conf = makeConfDir({ login: unixStack({ failDelayUs: 1_000 }) });
    const d = engine({ mode: 'login', service: 'login', confDir: conf.dir, login, lockout: policy(stateDir) });
    const stranger = 'no-such-user-anywhere';
    for (let i = 0; i < 3; i++) expect((await loginAttempt(d, stranger, WRONG)).outcome).toMatchObject({ ok: false });
    expect((await loginAttempt(d, stranger, WRONG)).outcome).toMatchObject({ code: 'LOCKED_OUT' });
    const state = readFileSync(join(stateDir, LOCKOUT_FILE), 'utf8');
    expect(state).toMatch(/"key":"name:[A-Za-z0-9_-]{43}"/);
    expect(state).not.toContain(stranger);
  });

  it('holds every new attempt for minFailDelayMs after a failure, even when no module asks for a delay', async () => {
    const conf = makeConfDir({ unlock: unixStack({ failDelayUs: 0 }) });
    const d = engine({ mode: 'unlock', service: 'unlock', confDir: conf.dir, user: user.name, minFailDelayMs: 1_500 });
    const before = Date.now();
    d.send({ type: 'begin' });
    await d.answerNext(WRONG);
    const delay = await d.next('delay');
    expect(delay.reason).toBe('fail-delay');
    expect(delay.until - before).toBeGreaterThanOrEqual(1_500);
    await d.next('outcome');
    d.send({ type: 'begin' });
    expect(await d.next('refused')).toMatchObject({ request: 'begin', message: expect.stringMatching(/too soon/) });
  });

  it('leaves the lockout to pam_faillock when the stack runs it with preauth, and says so', async () => {
    const tally = join(makeTempDir('gatehouse-tally-'), 'tally');
    const stateDir = makeTempDir('gatehouse-lockout-');
    const conf = makeConfDir({ faillock: faillockStack(tally, { deny: 3, failDelayUs: 1_000 }), unix: unixStack() });
    const auto = policy(stateDir, { mechanism: 'auto' });
    const d = engine({ mode: 'unlock', service: 'faillock', confDir: conf.dir, user: USERS.faillockEngine.name, lockout: auto });
    expect(logEntries(d.logs, 'lockout')).toEqual([expect.objectContaining({ mechanism: 'pam_faillock', service: 'faillock' })]);
    d.send({ type: 'begin' });
    await d.answerNext(WRONG);
    expect(await d.next('outcome')).toMatchObject({ code: 'PAM_AUTH_ERR' });
    // The engine kept no tally of its own.
    expect(() => readFileSync(join(stateDir, LOCKOUT_FILE))).toThrow();

    const plain = engine({ mode: 'unlock', service: 'unix', confDir: conf.dir, user: user.name, lockout: auto });
    expect(logEntries(plain.logs, 'lockout')).toEqual([expect.objectContaining({ mechanism: 'engine' })]);
  });
});

describe('the lockout state directory', () => {
  const fakeOptions = (stateDir: string) => ({ mode: 'unlock' as const, service: 'fake', user: 'alice', lockout: policy(stateDir) });

  it('is made private (0700) when missing, with a private key for hashing names', () => {
    const stateDir = join(makeTempDir('gatehouse-lockout-'), 'state');
    const d = engine(fakeOptions(stateDir));
    expect(logEntries(d.logs, 'lockout')).toMatchObject([{ mechanism: 'engine', state: join(stateDir, LOCKOUT_FILE) }]);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(stateDir, 'lockout.key')).mode & 0o777).toBe(0o600);
  });

  it('is refused when others may write to it, or when its file is a symbolic link: the tallies stay in memory, and the log says why', () => {
    const open = makeTempDir('gatehouse-lockout-');
    chmodSync(open, 0o777);
    const d = engine(fakeOptions(open));
    expect(logEntries(d.logs, 'lockout-state-unavailable')).toMatchObject([
      { dir: open, problem: expect.stringMatching(/writable by others/), fallback: 'memory' },
    ]);
    expect(logEntries(d.logs, 'lockout')).toMatchObject([{ mechanism: 'engine', state: 'memory' }]);

    const linked = makeTempDir('gatehouse-lockout-');
    chmodSync(linked, 0o700);
    mkdirSync(join(linked, 'elsewhere'));
    symlinkSync(join(linked, 'elsewhere', 'file'), join(linked, LOCKOUT_FILE));
    const e = engine(fakeOptions(linked));
    expect(logEntries(e.logs, 'lockout-state-unavailable')).toMatchObject([{ problem: expect.stringMatching(/ELOOP|symbolic/) }]);
  });
});

describe('the lockout key', () => {
  it('counts every spelling NSS resolves to one uid as one account', async () => {
    let now = 1_000_000;
    const starter = fakeStarter({
      authenticate: async () => {
        throw pamError('PAM_AUTH_ERR', 'authenticate', { failDelayMs: 0 });
      },
    });
    // A directory service that matches names without regard to case.
    const uidOf = async (name: string) => (name.toLowerCase() === 'alice' ? 1000 : undefined);
    const d = drive(
      { mode: 'login', service: 'fake', login, lockout: policy(makeTempDir('gatehouse-lockout-')), minFailDelayMs: 0 },
      { startTransaction: starter.start, uidOf, now: () => now },
    );
    drivers.push(d);
    for (const name of ['alice', 'Alice', 'ALICE']) {
      d.send({ type: 'begin', user: name });
      expect((await d.next('outcome')).code).toBe('PAM_AUTH_ERR');
      now += 10;
    }
    d.send({ type: 'begin', user: 'aLiCe' });
    expect((await d.next('outcome')).code).toBe('LOCKED_OUT');
    expect(starter.started).toHaveLength(3);
  });
});
