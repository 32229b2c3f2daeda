// The fail delay a module asks for (pam_faildelay, the scripted module's
// fail_delay) is enforced by the engine across transactions, and the engine's own
// lockout policy. Real addon, real libpam; bounds are generous (libpam adds up to
// ±50 % jitter to a requested delay).
import { afterEach, describe, expect, it } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { writePassdb } from '../../../lab/matrix';
import { module, SCRIPT_MODULE, wrapperModule } from '../../../lab/paths';
import type { EngineOptions } from '../api';
import { drive } from './driver';
import type { Driver } from './driver';

const SECRET = 'matrix-Secret-42';

const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

/** pam_matrix behind pam_faildelay asking for `delayUs`. */
function delayedMatrix(delayUs: number, extra: Partial<EngineOptions> = {}): Driver {
  const passdb = writePassdb([{ user: 'alice', password: SECRET, service: 'delayed' }]);
  const matrix = `${wrapperModule('pam_matrix.so')} passdb=${passdb}`;
  const conf = makeConfDir({
    delayed: [
      `auth optional ${module('pam_faildelay.so')} delay=${delayUs}`,
      `auth required ${matrix}`,
      `account required ${matrix}`,
    ].join('\n'),
  });
  const d = drive({ mode: 'unlock', service: 'delayed', confDir: conf.dir, user: 'alice', ...extra });
  drivers.push(d);
  return d;
}

async function attempt(d: Driver, password: string) {
  d.send({ type: 'begin' });
  await d.answerNext(password);
  return d.next('outcome');
}

describe('the fail delay', () => {
  it('is announced after a failed attempt and holds every new attempt until it has passed', async () => {
    const d = delayedMatrix(2_000_000);
    const failedAt = Date.now();
    d.send({ type: 'begin' });
    await d.answerNext('wrong');
    const delay = await d.next('delay');
    expect(delay.reason).toBe('fail-delay');
    expect(delay.until - failedAt).toBeGreaterThanOrEqual(900);
    expect(delay.until - failedAt).toBeLessThanOrEqual(4_000);
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
    // The attempt itself was not slowed down: the engine enforces the delay, no thread sleeps.
    expect(d.outcomes[0]!.durationMs).toBeLessThan(900);

    d.send({ type: 'begin' });
    expect((await d.next('refused')).message).toMatch(/^too soon after a failed attempt: wait \d+ s$/);
    expect(d.results.filter((r) => r.op === 'start')).toHaveLength(1); // no new transaction
    d.send({ type: 'hello' });
    await d.next('context');
    expect(await d.next('delay')).toEqual(delay); // a reconnecting UI sees the countdown

    await new Promise((r) => setTimeout(r, Math.max(0, delay.until - Date.now()) + 20));
    expect(await attempt(d, SECRET)).toMatchObject({ ok: true });
  });

  it('is not applied after a successful attempt, even though the module asked for one', async () => {
    const d = delayedMatrix(1_000_000);
    expect((await attempt(d, SECRET)).ok).toBe(true);
    expect(d.events.some((e) => e.type === 'delay')).toBe(false);
    expect((await attempt(d, SECRET)).ok).toBe(true);
  });

  it('comes from any module: the scripted one asking for 600 ms', async () => {
    const conf = makeConfDir({
      scripted: `auth required ${SCRIPT_MODULE} fail_delay=600000 return=auth_err`,
    });
    const d = drive({ mode: 'unlock', service: 'scripted', confDir: conf.dir, user: 'alice' });
    drivers.push(d);
    const before = Date.now();
    d.send({ type: 'begin' });
    const delay = await d.next('delay');
    expect(delay.until - before).toBeGreaterThanOrEqual(250);
    expect(delay.until - before).toBeLessThanOrEqual(1_500);
    await d.next('outcome');
    d.send({ type: 'begin' });
    expect((await d.next('refused')).request).toBe('begin');
  });
});

describe("the engine's lockout policy", () => {
  it('locks the user out after maxFailures, turns attempts away with LOCKED_OUT, then lets them in', async () => {
    const d = delayedMatrix(0, { lockout: { maxFailures: 2, windowMs: 60_000, lockMs: 1_500 } });
    expect((await attempt(d, 'wrong-1')).code).toBe('PAM_AUTH_ERR');
    expect(d.events.some((e) => e.type === 'delay')).toBe(false);
    const lockingAt = Date.now();
    d.send({ type: 'begin' });
    await d.answerNext('wrong-2');
    const lock = await d.next('delay');
    expect(lock.reason).toBe('lockout');
    expect(lock.until - lockingAt).toBeGreaterThanOrEqual(1_400);
    expect((await d.next('outcome')).code).toBe('PAM_AUTH_ERR');

    // Locked: not even pam_start, the right password does not matter.
    const starts = d.results.filter((r) => r.op === 'start').length;
    d.send({ type: 'begin' });
    expect(await d.next('delay')).toMatchObject({ reason: 'lockout', until: lock.until });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'LOCKED_OUT' });
    expect(d.results.filter((r) => r.op === 'start')).toHaveLength(starts);
    expect(d.outcomes.at(-1)).toMatchObject({ code: 'LOCKED_OUT', user: 'alice' });

    await new Promise((r) => setTimeout(r, Math.max(0, lock.until - Date.now()) + 20));
    expect((await attempt(d, SECRET)).ok).toBe(true);
  });

  it('is off by default', async () => {
    const d = delayedMatrix(0);
    for (let i = 0; i < 4; i++) expect((await attempt(d, `wrong-${i}`)).code).toBe('PAM_AUTH_ERR');
    expect((await attempt(d, SECRET)).ok).toBe(true);
  });
});
