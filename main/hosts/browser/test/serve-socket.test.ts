// `gatehouse serve` as a real process with a WebSocket client: whole flows over
// the protocol, bad frames, the session cookie, Host and Origin checks, one UI at
// a time, a dropped UI's flow never handed to the next one, and no other local
// user's client let in (a second real client running as another uid).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeConfDir } from '../../../../lab/confdir';
import { matrixService, writePassdb } from '../../../../lab/matrix';
import { makeTempDir } from '../../../../lab/tmp';
import { runCli } from '../../../test/cli-process';
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../../../../lab/paths';
import { enter, HandshakeRefused, rawHandshake, startServe, stopServe, UiClient, type Served } from './serve-process';

const PASSWORD = 'serve-Secret-9';

function writeConfig(): string {
  const file = join(makeTempDir('gatehouse-config-'), 'config.json');
  writeFileSync(file, JSON.stringify({ elevate: { adminGroup: null }, timeouts: { promptMs: 20_000 } }));
  return file;
}

function matrixArgs(mode = 'unlock'): string[] {
  const passdb = writePassdb([{ user: 'alice', password: PASSWORD, service: 'matrix' }]);
  const conf = makeConfDir({ matrix: matrixService(passdb, 'verbose') });
  return ['--mode', mode, '--config', writeConfig(), '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', '--port', '0'];
}

const running: Served[] = [];
async function serve(mode = 'unlock'): Promise<Served> {
  const served = await startServe(matrixArgs(mode));
  running.push(served);
  return served;
}

afterEach(async () => {
  for (const served of running.splice(0)) {
    if (served.cli.child.exitCode === null) await stopServe(served);
  }
});

async function unlockOnce(ui: UiClient, password: string) {
  ui.send({ type: 'begin' });
  const prompt = await ui.next('prompt');
  ui.send({ type: 'answer', id: prompt.id, value: password });
  return ui.next('outcome');
}

describe('gatehouse serve: flows over the WebSocket', () => {
  it('prints the listening line first, then completes a flow and prints its outcome', async () => {
    const served = await serve();
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/enter\?ticket=[A-Za-z0-9_-]{43}$/);
    const ui = await UiClient.connect(served);
    ui.send({ type: 'hello' });
    const context = await ui.next('context');
    expect(context).toMatchObject({ mode: 'unlock', user: 'alice', running: false });

    ui.send({ type: 'begin' });
    const prompt = await ui.next('prompt');
    expect(prompt).toMatchObject({ style: 'echo-off', text: 'Password: ', index: 0, count: 1 });
    ui.send({ type: 'answer', id: prompt.id, value: PASSWORD });
    expect(await ui.next('message')).toMatchObject({ kind: 'info', text: 'Authentication succeeded' });
    expect(await ui.next('outcome')).toMatchObject({ ok: true, code: 'PAM_SUCCESS' });

    const line = await served.cli.nextEvent((e) => e.event === 'outcome');
    expect(line).toEqual({ event: 'outcome', mode: 'unlock', user: 'alice', ok: true, code: 'PAM_SUCCESS' });
    await ui.close();
    const exit = await stopServe(served);
    expect(exit.status).toBe(0);
    expect(exit.stdout.split('\n')[0]).toContain('"event":"listening"');
    expect(exit.stdout + exit.stderr).not.toContain(PASSWORD);
  });

  it('keeps one engine for the seat: flow after flow, one outcome line each', async () => {
    const served = await serve();
    const ui = await UiClient.connect(served);
    ui.send({ type: 'hello' });
    await ui.next('context');
    expect(await unlockOnce(ui, 'wrong-Secret')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
    // pam_matrix asks for no fail delay; the engine holds the next attempt anyway (lockout.minFailDelayMs).
    const delay = ui.events.find((e) => e.type === 'delay');
    expect(delay).toMatchObject({ reason: 'fail-delay' });
    if (delay?.type === 'delay') await new Promise((r) => setTimeout(r, Math.max(0, delay.until - Date.now()) + 20));
    expect(await unlockOnce(ui, PASSWORD)).toMatchObject({ ok: true, code: 'PAM_SUCCESS' });
    const exit = await stopServe(served);
    const outcomes = exit.events.filter((e) => e.event === 'outcome');
    expect(outcomes).toEqual([
      { event: 'outcome', mode: 'unlock', user: 'alice', ok: false, code: 'PAM_AUTH_ERR' },
      { event: 'outcome', mode: 'unlock', user: 'alice', ok: true, code: 'PAM_SUCCESS' },
    ]);
    expect(exit.stdout + exit.stderr).not.toContain('wrong-Secret');
  });

  it('cancels a flow on request', async () => {
    const served = await serve('elevate');
    const ui = await UiClient.connect(served);
    ui.send({ type: 'begin' });
    await ui.next('prompt');
    ui.send({ type: 'cancel' });
    expect(await ui.next('outcome')).toMatchObject({ ok: false, code: 'CANCELLED' });
    expect(await served.cli.nextEvent((e) => e.event === 'outcome')).toEqual({
      event: 'outcome',
      mode: 'elevate',
      user: 'alice',
      ok: false,
      code: 'CANCELLED',
    });
  });

  it('ends the flow of a UI that dropped mid-flow: the next UI starts over and never sees its prompts', async () => {
    const served = await serve();
    const first = await UiClient.connect(served);
    first.send({ type: 'begin' });
    const prompt = await first.next('prompt');
    await first.close();
    expect(await served.cli.nextEvent((e) => e.event === 'outcome')).toMatchObject({ ok: false, code: 'CANCELLED' });

    const second = await connectWhenFree(served);
    second.send({ type: 'hello' });
    expect(await second.next('context')).toMatchObject({ running: false });
    // The old prompt is not pending: an answer to it goes nowhere.
    second.send({ type: 'answer', id: prompt.id, value: PASSWORD });
    expect(await second.next('refused')).toMatchObject({ request: 'answer' });
    expect(second.events.some((e) => e.type === 'prompt')).toBe(false);
    // Starting over works.
    expect(await unlockOnce(second, PASSWORD)).toMatchObject({ ok: true });
    const exit = await stopServe(served);
    expect(exit.stderr).toMatch(/cancelling the flow the UI left/);
  });
});

describe('gatehouse serve: bad frames are refused, never echoed, and change nothing', () => {
  const SECRET_LOOKING = 'Tr0ub4dor&3-not-json';

  it('refuses a frame that is not JSON without quoting it', async () => {
    const served = await serve();
    const ui = await UiClient.connect(served);
    ui.sendRaw(`{"v":1,"type":"answer","value":"${SECRET_LOOKING}"`);
    const refused = await ui.next('refused');
    expect(refused.message).toMatch(/not JSON/);
    expect(JSON.stringify(refused)).not.toContain(SECRET_LOOKING);
    const exit = await stopServe(served);
    expect(exit.stderr).not.toContain(SECRET_LOOKING);
  });

  it('refuses unknown types, wrong versions, extra fields and wrong types (validated by parseRequest)', async () => {
    const served = await serve();
    const ui = await UiClient.connect(served);
    ui.sendRaw(JSON.stringify({ v: 1, type: 'launch-missiles' }));
    expect(await ui.next('refused')).toMatchObject({ message: expect.stringMatching(/not a known message/) });
    ui.sendRaw(JSON.stringify({ v: 99, type: 'hello' }));
    expect(await ui.next('refused')).toMatchObject({ request: 'hello' });
    ui.sendRaw(JSON.stringify({ v: 1, type: 'hello', extra: SECRET_LOOKING }));
    expect(await ui.next('refused')).toMatchObject({ request: 'hello' });
    ui.sendRaw(JSON.stringify({ v: 1, type: 'answer', id: 'x', value: 42 }));
    expect(await ui.next('refused')).toMatchObject({ request: 'answer' });
    ui.sendRaw(JSON.stringify([1, 2, 3]));
    await ui.next('refused');
    // Nothing changed: the engine still answers hello normally.
    ui.send({ type: 'hello' });
    expect(await ui.next('context')).toMatchObject({ running: false });
    expect(JSON.stringify(ui.events)).not.toContain(SECRET_LOOKING);
  });

  it('refuses an answer for a prompt that is not pending, without the value', async () => {
    const served = await serve();
    const ui = await UiClient.connect(served);
    ui.send({ type: 'answer', id: 'b99.0', value: SECRET_LOOKING });
    const refused = await ui.next('refused');
    expect(refused).toMatchObject({ request: 'answer' });
    expect(JSON.stringify(refused)).not.toContain(SECRET_LOOKING);
    const exit = await stopServe(served);
    expect(exit.stderr).not.toContain(SECRET_LOOKING);
  });

  it('refuses an over-long answer and keeps the prompt pending', async () => {
    const served = await serve();
    const ui = await UiClient.connect(served);
    ui.send({ type: 'begin' });
    const prompt = await ui.next('prompt');
    ui.send({ type: 'answer', id: prompt.id, value: 'x'.repeat(600) });
    expect(await ui.next('refused')).toMatchObject({ request: 'answer', message: expect.stringMatching(/512 bytes/) });
    ui.send({ type: 'answer', id: prompt.id, value: PASSWORD });
    expect(await ui.next('outcome')).toMatchObject({ ok: true });
  });

  it('refuses binary frames', async () => {
    const served = await serve();
    const ui = await UiClient.connect(served);
    ui.sendRaw(Buffer.from(JSON.stringify({ v: 1, type: 'hello' })), { binary: true });
    expect(await ui.next('refused')).toMatchObject({ message: expect.stringMatching(/binary frames/) });
  });

  it('closes the connection on a frame over the size limit (1009)', async () => {
    const served = await serve();
    const ui = await UiClient.connect(served);
    ui.sendRaw(JSON.stringify({ v: 1, type: 'answer', id: 'x', value: 'y'.repeat(64 * 1024) }));
    expect((await ui.whenClosed()).code).toBe(1009);
    // The seat is free again for the next UI.
    const next = await connectWhenFree(served);
    next.send({ type: 'hello' });
    await next.next('context');
  });
});

describe('gatehouse serve: who may connect', () => {
  it('refuses a handshake without the session cookie, or with a wrong or repeated one (403)', async () => {
    const served = await serve();
    const [name, value] = served.cookie.split('=') as [string, string];
    await expect(UiClient.connect(served, { cookie: null })).rejects.toEqual(new HandshakeRefused(403));
    await expect(UiClient.connect(served, { cookie: `${name}=${'A'.repeat(43)}` })).rejects.toEqual(new HandshakeRefused(403));
    await expect(UiClient.connect(served, { cookie: `${name}=${value.slice(1)}` })).rejects.toEqual(new HandshakeRefused(403));
    await expect(UiClient.connect(served, { cookie: `${name}=${value}; ${name}=${value}` })).rejects.toEqual(new HandshakeRefused(403));
    // The address is no way in any more.
    const headers = { Host: `127.0.0.1:${served.port}`, Origin: served.origin };
    expect(await rawHandshake(served.port, `/ws?token=${value}`, headers)).toBe(403);
    const exit = await stopServe(served);
    expect(exit.stderr).toMatch(/refused a WebSocket handshake: Forbidden: no session cookie/);
    expect(exit.stderr).not.toContain(value);
  });

  it('refuses a foreign or missing Origin (cross-site pages)', async () => {
    const served = await serve();
    await expect(UiClient.connect(served, { origin: 'http://evil.example' })).rejects.toEqual(new HandshakeRefused(403));
    await expect(UiClient.connect(served, { origin: `http://localhost:${served.port}` })).rejects.toEqual(new HandshakeRefused(403));
    await expect(UiClient.connect(served, { origin: null })).rejects.toEqual(new HandshakeRefused(403));
  });

  it('refuses a foreign Host header (DNS rebinding), for the socket and the page', async () => {
    const served = await serve();
    const cookie = served.cookie;
    expect(await rawHandshake(served.port, '/ws', { Host: `rebind.example:${served.port}`, Origin: served.origin, Cookie: cookie })).toBe(403);
    expect(await rawHandshake(served.port, '/ws', { Host: `localhost:${served.port}`, Origin: served.origin, Cookie: cookie })).toBe(403);
    expect(await rawHandshake(served.port, '/ws', { Host: `127.0.0.1:${served.port}`, Origin: served.origin, Cookie: cookie })).toBe(101);
  });

  it('refuses handshakes on other paths (404)', async () => {
    const served = await serve();
    const headers = { Host: `127.0.0.1:${served.port}`, Origin: served.origin, Cookie: served.cookie };
    expect(await rawHandshake(served.port, '/socket', headers)).toBe(404);
  });

  it('refuses a second UI while one is connected (409), and takes one again once it left', async () => {
    const served = await serve();
    const first = await UiClient.connect(served);
    await expect(UiClient.connect(served)).rejects.toEqual(new HandshakeRefused(409));
    // The first one is untouched.
    first.send({ type: 'hello' });
    await first.next('context');
    await first.close();
    const second = await connectWhenFree(served);
    second.send({ type: 'hello' });
    await second.next('context');
  });
});

const asRoot = process.getuid?.() === 0;
if (!asRoot) console.warn('SKIP the other-user client tests: not root (running a client as another uid needs it)');

describe.skipIf(!asRoot)('gatehouse serve: another local user', () => {
  // The second client is a real process running as `nobody`, which holds the
  // entry URL and the session cookie (as someone reading another user's
  // browser command line or terminal would) and connects with the right Origin.
  it('cannot take over a dropped UI\'s flow, even with the cookie: its connections are cut off', async () => {
    const served = await serve();
    const first = await UiClient.connect(served);
    first.send({ type: 'begin' });
    await first.next('prompt');
    await first.close();

    const stranger = await connectAs(65534, served, served.cookie);
    expect(stranger.status).toBe('cut-off');
    expect(stranger.events).toEqual([]);
    const exit = await stopServe(served);
    expect(exit.stderr).toMatch(/refused a connection from uid 65534/);
    // The flow the first UI left was not answered by anyone.
    expect(exit.events.filter((e) => e.event === 'outcome')).toEqual([
      { event: 'outcome', mode: 'unlock', user: 'alice', ok: false, code: 'CANCELLED' },
    ]);
  });

  it('cannot spend the entry URL either', async () => {
    const served = await startServe(matrixArgs(), { enter: false });
    running.push(served);
    const stranger = await connectAs(65534, served, null);
    expect(stranger.status).toBe('cut-off');
    // The ticket is still good for the user serve runs for.
    const ui = await UiClient.connect({ ...served, cookie: await enter(served) });
    ui.send({ type: 'hello' });
    await ui.next('context');
  });

  it('serves another uid\'s browser when told to (--peer-uid), and still no third user\'s', async () => {
    const served = await startServe([...matrixArgs(), '--peer-uid', '65534'], { enter: false });
    running.push(served);
    const stranger = await connectAs(65534, served, null);
    expect(stranger.status).toBe('open');
    expect(stranger.events.map((e) => (e as { type: string }).type)).toContain('context');
    // uid 1 (daemon) is neither the peer nor root.
    expect((await connectAs(1, served, null)).status).toBe('cut-off');
  });
});

/**
 * A WebSocket client running as `uid` in a process of its own: with `cookie` it
 * connects to /ws directly, without one it spends the entry URL first. Reports
 * whether the server cut it off and what it received.
 */
async function connectAs(uid: number, served: Served, cookie: string | null): Promise<{ status: 'open' | 'refused' | 'cut-off'; events: unknown[] }> {
  const script = `
    const http = require('node:http');
    const WebSocket = require(${JSON.stringify(join(REPO_ROOT, 'node_modules', 'ws'))});
    const port = ${served.port};
    const done = (status, events = []) => { console.log(JSON.stringify({ status, events })); process.exit(0); };
    const connect = (cookie) => {
      const ws = new WebSocket('ws://127.0.0.1:' + port + '/ws', { origin: 'http://127.0.0.1:' + port, headers: cookie ? { Cookie: cookie } : {} });
      const events = [];
      ws.on('open', () => ws.send(JSON.stringify({ v: 1, type: 'hello' })));
      ws.on('message', (d) => { events.push(JSON.parse(String(d))); if (events.length >= 1) setTimeout(() => done('open', events), 300); });
      ws.on('unexpected-response', () => done('refused'));
      ws.on('error', () => done('cut-off'));
    };
    const cookie = ${JSON.stringify(cookie)};
    if (cookie) connect(cookie);
    else http.get({ host: '127.0.0.1', port, path: ${JSON.stringify(new URL(served.url).pathname + new URL(served.url).search)} }, (res) => {
      res.resume();
      const set = res.headers['set-cookie'];
      if (!set) return done('refused');
      connect(set[0].split(';')[0]);
    }).on('error', () => done('cut-off'));
  `;
  const result = await new Promise<string>((resolve, reject) => {
    const child = spawn('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
  return JSON.parse(result) as { status: 'open' | 'refused' | 'cut-off'; events: unknown[] };
}

describe('gatehouse serve: command line', () => {
  it('refuses to bind anything but 127.0.0.1 (exit 2)', async () => {
    for (const host of ['0.0.0.0', 'localhost', '::1', '192.168.1.10']) {
      const result = await runCli(['serve', '--mode', 'unlock', '--host', host]);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/listens on 127\.0\.0\.1 only/);
    }
  });

  it('refuses a bad config before listening (exit 2)', async () => {
    const file = join(makeTempDir('gatehouse-config-'), 'config.json');
    writeFileSync(file, JSON.stringify({ services: { unlock: 'no/slash' } }));
    const result = await runCli(['serve', '--mode', 'unlock', '--config', file]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/services\.unlock: must be a PAM service name/);
  });

  it('refuses a missing or unknown mode, and a bad port (exit 2)', async () => {
    expect((await runCli(['serve'])).status).toBe(2);
    expect((await runCli(['serve', '--mode', 'root'])).stderr).toMatch(/--mode must be one of login, unlock, elevate/);
    expect((await runCli(['serve', '--mode', 'unlock', '--port', '70000'])).stderr).toMatch(/--port must be an integer from 0 to 65535/);
  });

  it('reports a port in use (exit 1)', async () => {
    const served = await serve();
    const args = matrixArgs();
    args[args.indexOf('--port') + 1] = String(served.port);
    const result = await runCli(['serve', ...args]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
  });
});

/** Connects, retrying while the previous UI's socket is still being torn down. */
async function connectWhenFree(served: Served): Promise<UiClient> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await UiClient.connect(served);
    } catch (error) {
      if (!(error instanceof HandshakeRefused) || error.status !== 409 || attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
