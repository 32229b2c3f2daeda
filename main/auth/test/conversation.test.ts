// The conversation through the real addon and real libpam: pam_matrix and the
// project's scripted module (native/fixtures). Batches, messages while no prompt
// is pending, binary prompts, cancel, prompt timeouts, a module that keeps its
// thread, and a UI that reconnects mid-flow.
import { afterEach, describe, expect, it } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { matrixService, writePassdb } from '../../../lab/matrix';
import { scriptStack } from '../../../lab/stacks';
import type { ScriptSections } from '../../../lab/stacks';
import type { EngineOptions } from '../api';
import { startPamTransaction, type StartTransaction } from '../pam-calls';
import { END_GRACE_MS } from '../flows/steps';
import { drive, logEntries } from './driver';
import type { Driver } from './driver';

const SECRET = 'matrix-Secret-42';

const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

function matrixDriver(extra: Partial<EngineOptions> = {}, startTransaction?: StartTransaction): Driver {
  const passdb = writePassdb([{ user: 'alice', password: SECRET, service: 'matrix' }]);
  const conf = makeConfDir({ matrix: matrixService(passdb) });
  const d = drive({ mode: 'unlock', service: 'matrix', confDir: conf.dir, user: 'alice', ...extra }, startTransaction === undefined ? {} : { startTransaction });
  drivers.push(d);
  return d;
}

function scriptDriver(sections: ScriptSections, extra: Partial<EngineOptions> = {}): Driver {
  const conf = makeConfDir({ scripted: scriptStack(sections) });
  const d = drive({ mode: 'unlock', service: 'scripted', confDir: conf.dir, user: 'alice', ...extra });
  drivers.push(d);
  return d;
}

describe('prompts and answers', () => {
  it('runs an unlock through pam_matrix, reporting every PAM call', async () => {
    const d = matrixDriver();
    d.send({ type: 'begin' });
    const prompt = await d.answerNext(SECRET);
    expect(prompt).toMatchObject({ style: 'echo-off', text: 'Password: ', index: 0, count: 1 });
    expect(await d.next('outcome')).toEqual({ v: 1, type: 'outcome', ok: true, code: 'PAM_SUCCESS', reason: 'unlocked' });
    expect(d.transcript()).toEqual([
      'busy',
      'phase authenticate',
      'prompt echo-off Password: ',
      'busy',
      'phase account',
      'phase done',
      'outcome ok PAM_SUCCESS',
    ]);
    expect(d.results.map((r) => `${r.op} ${r.code}`)).toEqual([
      'start PAM_SUCCESS',
      'authenticate PAM_SUCCESS',
      'acct_mgmt PAM_SUCCESS',
      'setcred PAM_SUCCESS',
      'end PAM_SUCCESS',
    ]);
    expect(d.outcomes).toMatchObject([{ mode: 'unlock', user: 'alice', ok: true, code: 'PAM_SUCCESS' }]);
  });

  it('reports a wrong password with the PAM code and pam_strerror text', async () => {
    const d = matrixDriver();
    d.send({ type: 'begin' });
    await d.answerNext('not-it');
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR', reason: 'Authentication failure' });
    expect(d.results.map((r) => r.op)).toEqual(['start', 'authenticate', 'end']);
  });

  it('shows a batch together and gives the module its answers only when all are in, matched by id', async () => {
    const d = scriptDriver({
      auth: `
        msg info "Two codes follow"
        msg echo-off "Code A: "
        msg echo-on "Code B: "
        send
        expect-answer 1 "alpha"
        expect-answer 2 "bravo"
      `,
    });
    d.send({ type: 'begin' });
    const a = await d.next('prompt');
    const b = await d.next('prompt');
    expect([a.batch, a.index, a.count, a.style, a.text]).toEqual([b.batch, 0, 2, 'echo-off', 'Code A: ']);
    expect([b.index, b.count, b.style, b.text]).toEqual([1, 2, 'echo-on', 'Code B: ']);
    expect(d.transcript().slice(0, 3)).toEqual(['busy', 'phase authenticate', 'message info Two codes follow']);
    d.send({ type: 'answer', id: b.id, value: 'bravo' });
    await new Promise((r) => setTimeout(r, 100));
    expect(d.results.map((r) => r.op)).toEqual(['start']); // the module is still waiting
    d.send({ type: 'answer', id: a.id, value: 'alpha' });
    expect(await d.next('outcome')).toMatchObject({ ok: true });
  });

  it('passes radio prompts and non-ASCII answers through', async () => {
    const d = scriptDriver({
      auth: `
        msg radio "Use the token? "
        send
        expect-answer 0 "j\\xc3\\xa4"
      `,
    });
    d.send({ type: 'begin' });
    expect(await d.answerNext('jä')).toMatchObject({ style: 'radio', text: 'Use the token? ' });
    expect((await d.next('outcome')).ok).toBe(true);
  });

  it('delivers info and error messages that arrive while no prompt is pending, as they come', async () => {
    const d = scriptDriver({
      auth: `
        msg info "Hold your badge to the reader"
        send
        sleep 400
        msg error "The badge could not be read"
        send
        sleep 400
        msg echo-off "PIN: "
        send
        expect-answer 0 "2468"
      `,
    });
    d.send({ type: 'begin' });
    await d.next('message');
    const infoAt = Date.now();
    await d.next('message');
    const prompt = await d.next('prompt');
    const promptAt = Date.now();
    expect(promptAt - infoAt).toBeGreaterThanOrEqual(700); // the module slept between them
    d.send({ type: 'answer', id: prompt.id, value: '2468' });
    expect((await d.next('outcome')).ok).toBe(true);
    expect(d.transcript().slice(2, 5)).toEqual([
      'message info Hold your badge to the reader',
      'message error The badge could not be read',
      'prompt echo-off PIN: ',
    ]);
  });

  it('refuses a binary prompt cleanly: nothing shown, the module gets PAM_CONV_ERR', async () => {
    const d = scriptDriver({
      auth: `
        msg-binary "0000000601ff"
        send
        expect-rc conv_err
        return auth_err
      `,
    });
    d.send({ type: 'begin' });
    // PAM_AUTH_ERR is the script's answer to PAM_CONV_ERR; anything else would be PAM_SYSTEM_ERR.
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
    expect(d.events.some((e) => e.type === 'prompt')).toBe(false);
    expect(logEntries(d.logs, 'binary-prompt-refused')).toHaveLength(1);
  });
});

describe('cancel and timeouts', () => {
  it('cancels mid-prompt: the transaction is aborted and ended, and a new attempt can start at once', async () => {
    const d = matrixDriver();
    d.send({ type: 'begin' });
    await d.next('prompt');
    d.send({ type: 'cancel' });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'CANCELLED', reason: 'cancelled' });
    expect(d.results.map((r) => r.op)).toEqual(['start', 'end']);
    expect(d.engine.busy).toBe(false);
    d.send({ type: 'begin' });
    await d.answerNext(SECRET);
    expect((await d.next('outcome')).ok).toBe(true);
  });

  it('ends the attempt when a prompt stays unanswered for the prompt timeout', async () => {
    // The broker's timer is the one prompt timeout: the addon's own conversation
    // timer is never armed for the engine's transactions.
    const started: Record<string, unknown>[] = [];
    const d = matrixDriver({ promptTimeoutMs: 300 }, (options) => {
      started.push({ ...options });
      return startPamTransaction(options);
    });
    d.send({ type: 'begin' });
    const prompt = await d.next('prompt');
    const shownAt = Date.now();
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PROMPT_TIMEOUT', reason: 'no answer within 300 ms' });
    expect(Date.now() - shownAt).toBeGreaterThanOrEqual(250);
    d.send({ type: 'answer', id: prompt.id, value: SECRET });
    expect((await d.next('refused')).message).toBe('no prompt with this id is pending');
    expect(d.outcomes[0]).toMatchObject({ code: 'PROMPT_TIMEOUT' });
    expect(started).toHaveLength(1);
    expect(started[0]).not.toHaveProperty('conversationTimeoutMs');
  });

  it('cancels while a module works without a prompt; the seat is free even if the module keeps its thread', async () => {
    const d = scriptDriver({ auth: 'sleep 6000' });
    d.send({ type: 'begin' });
    await d.next('phase');
    await new Promise((r) => setTimeout(r, 100));
    const cancelledAt = Date.now();
    d.send({ type: 'cancel' });
    expect(await d.next('outcome')).toMatchObject({ code: 'CANCELLED' });
    const waited = Date.now() - cancelledAt;
    expect(waited).toBeGreaterThanOrEqual(END_GRACE_MS - 100);
    expect(waited).toBeLessThan(5500);
    // Another transaction runs while the first one's module still sleeps.
    const conf = makeConfDir({ ok: scriptStack({ auth: 'msg echo-off "Again: "\nsend\nexpect-answer 0 "yes"' }) });
    const other = drive({ mode: 'unlock', service: 'ok', confDir: conf.dir, user: 'alice' });
    drivers.push(other);
    other.send({ type: 'begin' });
    await other.answerNext('yes');
    expect((await other.next('outcome')).ok).toBe(true);
  });

  it('once a session is being set up, cancel is refused and a prompt timeout fails only the conversation', async () => {
    const d = scriptDriver(
      {
        auth: 'msg echo-off "Password: "\nsend\nexpect-answer 0 "pw"',
        open_session: `
          msg echo-off "Badge PIN: "
          send
          expect-rc conv_err
          return session_err
        `,
      },
      {
        mode: 'login',
        user: undefined,
        promptTimeoutMs: 400,
        login: { sessions: [{ id: 's', name: 'S', command: ['/bin/true'] }], sessionType: 'tty', sessionClass: 'user', seat: 'seat0' },
      },
    );
    d.send({ type: 'begin', user: 'alice' });
    await d.answerNext('pw');
    expect(await d.next('prompt')).toMatchObject({ text: 'Badge PIN: ' });
    d.send({ type: 'cancel' });
    expect((await d.next('refused')).request).toBe('cancel');
    // The module got PAM_CONV_ERR (else the script's expect-rc would make it PAM_SYSTEM_ERR),
    // and the credentials were still deleted on the same, unaborted transaction.
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_SESSION_ERR' });
    expect(d.results.map((r) => `${r.op} ${r.code}`).slice(-3)).toEqual([
      'open_session PAM_SESSION_ERR',
      'setcred PAM_SUCCESS',
      'end PAM_SUCCESS',
    ]);
  });

  it('a UI that says hello mid-flow gets the context, then the pending prompts again', async () => {
    const d = scriptDriver({
      auth: `
        msg echo-off "One: "
        msg echo-off "Two: "
        send
        expect-answer 0 "1"
        expect-answer 1 "2"
      `,
    });
    d.send({ type: 'begin' });
    const one = await d.next('prompt');
    const two = await d.next('prompt');
    d.send({ type: 'answer', id: one.id, value: '1' });
    d.send({ type: 'hello' });
    expect(await d.next('context')).toMatchObject({ mode: 'unlock', user: 'alice', running: true });
    expect(await d.next('prompt')).toEqual(two);
    d.send({ type: 'answer', id: two.id, value: '2' });
    expect((await d.next('outcome')).ok).toBe(true);
  });
});
