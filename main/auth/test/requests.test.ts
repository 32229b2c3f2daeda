// Untrusted requests: malformed or unexpected ones are refused with a reason and
// a log line that never carries the value; nothing else changes. Real addon,
// pam_matrix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { matrixService, writePassdb } from '../../../lab/matrix';
import { makeTempDir } from '../../../lab/tmp';
import type { EngineOptions } from '../api';
import { receiveUntrusted } from '../receive-untrusted';
import { drive, logEntries } from './driver';
import type { Driver } from './driver';

const SECRET = 'matrix-Secret-42';

const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

function matrixDriver(extra: Partial<EngineOptions> & Pick<EngineOptions, 'mode'> = { mode: 'unlock', user: 'alice' }): Driver {
  const passdb = writePassdb([{ user: 'alice', password: SECRET, service: 'matrix' }]);
  const conf = makeConfDir({ matrix: matrixService(passdb) });
  const d = drive({ service: 'matrix', confDir: conf.dir, ...extra });
  drivers.push(d);
  return d;
}

const loginSettings: EngineOptions['login'] = {
  sessions: [{ id: 'true', name: 'Nothing', command: ['/bin/true'] }],
  sessionType: 'tty',
  sessionClass: 'user',
  seat: 'seat0',
};

/** Refusal messages the engine sent for `send`s made inside `body`. */
async function refusals(d: Driver, body: () => void): Promise<string[]> {
  const before = d.events.length;
  body();
  await new Promise((r) => setImmediate(r));
  return d.events.slice(before).flatMap((e) => (e.type === 'refused' ? [`${e.request ?? '-'}: ${e.message}`] : []));
}

describe('malformed requests', () => {
  it('are refused with the field and the problem, never the value', async () => {
    const d = matrixDriver();
    const long = 'x'.repeat(600);
    const refused = await refusals(d, () => {
      receiveUntrusted(d.engine, 'hello');
      receiveUntrusted(d.engine, null);
      receiveUntrusted(d.engine, [1, 2]);
      receiveUntrusted(d.engine, { type: 'hello' });
      receiveUntrusted(d.engine, { v: 2, type: 'hello' });
      receiveUntrusted(d.engine, { v: 1, type: 'launch' });
      receiveUntrusted(d.engine, { v: 1, type: 'answer', id: 7, value: 'typed-Secret' });
      receiveUntrusted(d.engine, { v: 1, type: 'answer', id: 'b1.0', value: long });
      receiveUntrusted(d.engine, { v: 1, type: 'answer', id: 'b1.0', value: 'hunter\0two' });
      receiveUntrusted(d.engine, { v: 1, type: 'begin', user: 'alice', extra: 'field' });
      receiveUntrusted(d.engine, { v: 1, type: 'power', action: 'explode' });
    });
    expect(refused).toEqual([
      '-: message: expected object',
      '-: message: expected object',
      '-: message: expected object',
      'hello: v: invalid (invalid_value)',
      'hello: v: invalid (invalid_value)',
      '-: type: not a known message',
      'answer: id: expected string',
      'answer: value: must be at most 512 bytes',
      'answer: value: must not contain NUL',
      'begin: message: an unexpected field',
      'power: action: invalid (invalid_value)',
    ]);
    const logged = d.logs.join('\n');
    expect(logged).not.toContain(long);
    expect(logged).not.toContain('hunter');
    expect(logged).not.toContain('typed-Secret');
    expect(logEntries(d.logs, 'refused')).toHaveLength(11);
    expect(logEntries(d.logs, 'refused')[7]).toMatchObject({ mode: 'unlock', request: 'answer', problem: 'value: must be at most 512 bytes' });
    expect(d.engine.busy).toBe(false);
  });

  it('never quote what the sender chose: an unknown type or field name may be a password', async () => {
    const d = matrixDriver();
    const refused = await refusals(d, () => {
      receiveUntrusted(d.engine, { v: 1, type: SECRET });
      receiveUntrusted(d.engine, { v: 1, type: 'hello', [SECRET]: true });
      receiveUntrusted(d.engine, { v: 1, type: 'answer', id: 'b1.0', value: 'x', [SECRET]: 1, other: 2 });
      receiveUntrusted(d.engine, { v: 1, type: 'begin', user: 7, [SECRET]: { nested: true } });
    });
    expect(refused).toEqual([
      '-: type: not a known message',
      'hello: message: an unexpected field',
      'answer: message: 2 unexpected fields',
      'begin: user: expected string; message: an unexpected field',
    ]);
    expect(JSON.stringify(d.events)).not.toContain(SECRET);
    expect(d.logs.join('\n')).not.toContain(SECRET);
  });

  it('take bytes as an answer and zero them, also when refused', async () => {
    const d = matrixDriver();
    d.send({ type: 'begin' });
    const prompt = await d.next('prompt');
    const stray = Buffer.from(SECRET);
    receiveUntrusted(d.engine, { v: 1, type: 'answer', id: 'b99.0', value: stray });
    expect(stray.every((b) => b === 0)).toBe(true);
    const answer = Buffer.from(SECRET);
    receiveUntrusted(d.engine, { v: 1, type: 'answer', id: prompt.id, value: answer });
    expect(await d.next('outcome')).toMatchObject({ ok: true });
    expect(answer.every((b) => b === 0)).toBe(true);
  });

  it('leave a running flow untouched', async () => {
    const d = matrixDriver();
    d.send({ type: 'begin' });
    const prompt = await d.next('prompt');
    const refused = await refusals(d, () => {
      receiveUntrusted(d.engine, { v: 1, type: 'answer', id: prompt.id, value: 'y'.repeat(513) });
      d.send({ type: 'answer', id: 'b99.0', value: SECRET });
      d.send({ type: 'begin' });
    });
    expect(refused).toEqual([
      'answer: value: must be at most 512 bytes',
      'answer: no prompt with this id is pending',
      'begin: a flow is already running',
    ]);
    d.send({ type: 'answer', id: prompt.id, value: SECRET });
    expect((await d.next('outcome')).ok).toBe(true);
    expect(d.logs.join('\n')).not.toContain(SECRET);
  });
});

describe('unexpected requests', () => {
  it('answers and cancels with no flow running are refused', async () => {
    const d = matrixDriver();
    expect(
      await refusals(d, () => {
        d.send({ type: 'answer', id: 'b1.0', value: 'early' });
        d.send({ type: 'cancel' });
      }),
    ).toEqual(['answer: no prompt with this id is pending', 'cancel: no flow is running']);
  });

  it('elevate: a cancel between attempts declines the request, as an outcome', async () => {
    const d = matrixDriver({ mode: 'elevate', user: 'alice', elevate: { action: 'Install updates', program: 'apt' } });
    d.send({ type: 'begin' });
    await d.answerNext('not the password');
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
    d.send({ type: 'cancel' });
    expect(await d.next('outcome')).toEqual({ v: 1, type: 'outcome', ok: false, code: 'CANCELLED', reason: 'declined' });
    expect(d.outcomes.at(-1)).toMatchObject({ mode: 'elevate', user: 'alice', ok: false, code: 'CANCELLED', reason: 'declined' });
    expect(d.logs.some((line) => line.includes('"CANCELLED"'))).toBe(true);
  });

  it('an answer to a prompt already answered is refused', async () => {
    const d = matrixDriver();
    d.send({ type: 'begin' });
    const prompt = await d.answerNext('wrong-one');
    await d.next('busy');
    expect(
      await refusals(d, () => {
        d.send({ type: 'answer', id: prompt.id, value: SECRET });
      }),
    ).toEqual(['answer: no prompt with this id is pending']);
    expect(await d.next('outcome')).toMatchObject({ code: 'PAM_AUTH_ERR' });
  });

  it('unlock: the user is fixed and there are no sessions to choose', async () => {
    const d = matrixDriver();
    expect(
      await refusals(d, () => {
        d.send({ type: 'begin', user: 'mallory' });
        d.send({ type: 'begin', session: 'x' });
      }),
    ).toEqual(['begin: the user cannot be chosen here', 'begin: a session is chosen only at login']);
    expect(d.results).toEqual([]);
  });

  it('login: an unknown session is refused', async () => {
    const d = matrixDriver({ mode: 'login', login: loginSettings });
    expect(await refusals(d, () => d.send({ type: 'begin', user: 'alice', session: 'nope' }))).toEqual([
      'begin: no such session',
    ]);
  });

  it('power actions: only at login, only those allowed, never during a flow; carried out by the configured command', async () => {
    const dir = makeTempDir('gatehouse-power-');
    const marker = join(dir, 'reboot');
    const unlock = matrixDriver();
    const login = matrixDriver({
      mode: 'login',
      login: loginSettings,
      power: ['reboot', 'suspend'],
      powerCommands: { reboot: ['/bin/sh', '-c', `echo rebooting > ${marker}`], suspend: ['/bin/false'] },
    });
    expect(await refusals(unlock, () => unlock.send({ type: 'power', action: 'reboot' }))).toEqual([
      'power: power actions belong to the login screen',
    ]);
    expect(await refusals(login, () => login.send({ type: 'power', action: 'poweroff' }))).toEqual([
      'power: this power action is not allowed by the configuration',
    ]);
    login.send({ type: 'begin', user: 'alice' });
    await login.next('prompt');
    expect(await refusals(login, () => login.send({ type: 'power', action: 'reboot' }))).toEqual([
      'power: a flow is running',
    ]);
    login.send({ type: 'cancel' });
    await login.next('outcome');
    login.send({ type: 'power', action: 'reboot' });
    login.send({ type: 'power', action: 'suspend' });
    expect(await login.next('message')).toMatchObject({ kind: 'error', text: 'The suspend request failed.' });
    await vi.waitFor(() => expect(readFileSync(marker, 'utf8')).toBe('rebooting\n'));
    expect(logEntries(login.logs, 'power-failed')).toMatchObject([{ action: 'suspend', exitStatus: 1 }]);
  });

  it('after close(), every request is refused', async () => {
    const d = matrixDriver();
    d.send({ type: 'begin' });
    await d.next('prompt');
    await d.close();
    expect(d.outcomes).toMatchObject([{ code: 'CANCELLED', reason: 'the engine was closed' }]);
    expect(await refusals(d, () => d.send({ type: 'hello' }))).toEqual(['hello: the engine is closed']);
  });
});

describe('context', () => {
  it('hello describes the screen: mode, fixed user, users, sessions, power, locale, theme', async () => {
    const login = matrixDriver({
      mode: 'login',
      login: loginSettings,
      users: [{ name: 'alice', displayName: 'Alice' }, { name: 'bob' }],
      power: ['poweroff'],
      locale: 'de',
      theme: 'dark',
    });
    login.send({ type: 'hello' });
    expect(await login.next('context')).toEqual({
      v: 1,
      type: 'context',
      mode: 'login',
      users: [{ name: 'alice', displayName: 'Alice' }, { name: 'bob' }],
      sessions: [{ id: 'true', name: 'Nothing' }],
      power: ['poweroff'],
      locale: 'de',
      theme: 'dark',
      running: false,
    });
    const elevate = matrixDriver({ mode: 'elevate', user: 'alice', elevate: { action: 'Install updates', program: 'apt' } });
    elevate.send({ type: 'hello' });
    expect(await elevate.next('context')).toMatchObject({
      mode: 'elevate',
      user: 'alice',
      power: [],
      elevate: { action: 'Install updates', program: 'apt' },
    });
  });
});
