// The engine daemon as real processes: `gatehouse engine` as root on a pam_unix
// stack with the lab's test users, and its clients as the unprivileged greeter
// user — `gatehouse check --engine` for whole logins, and raw connections for
// what a broken or hostile client sends. Every transaction the stack starts is
// recorded by the scripted module, and its pam_end too (record-cleanup): after
// the abuse, every one that started has ended, and the daemon, which logs its
// count of open transactions, says 0.
import { readFileSync, statSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfDir } from '../../../../lab/confdir';
import { module, SCRIPT_MODULE } from '../../../../lab/paths';
import { describeInEtcOverlay } from '../../../../lab/skip';
import { makeTempDir } from '../../../../lab/tmp';
import { PASSWORD, USERS } from '../../../../lab/users';
import { encodeFrame } from '../../../protocol/frames';
import { assertNothingContains, runCli, startCli } from '../../../test/cli-process';
import { RawClient, startDaemon, type RunningDaemon } from './daemon-process';

const GREETER = { uid: USERS.greeter.uid, gid: USERS.greeter.uid };
const OTHER_USER = { uid: USERS.plain.uid, gid: USERS.plain.uid };
const LOGIN_USER = USERS.daemonLogin;

describe('gatehouse engine: usage', () => {
  it('needs --socket and --client-user, and a user that exists', async () => {
    const [noSocket, noUser, unknown, relative] = await Promise.all([
      runCli(['engine', '--client-user', 'root']),
      runCli(['engine', '--socket', '/run/x.sock']),
      runCli(['engine', '--socket', '/run/x.sock', '--client-user', 'no-such-user-gh']),
      runCli(['engine', '--socket', 'relative.sock', '--client-user', 'root']),
    ]);
    expect(noSocket.stderr).toMatch(/give --socket PATH/);
    expect(noUser.stderr).toMatch(/give --client-user NAME/);
    expect(unknown.stderr).toMatch(/there is no user no-such-user-gh/);
    expect(relative.stderr).toMatch(/--socket must be an absolute path/);
    for (const result of [noSocket, noUser, unknown, relative]) expect(result.status).toBe(2);
  });

  it('refuses a socket directory others can write (another user could stand in for the daemon)', async () => {
    const dir = makeTempDir('gatehouse-engine-dir-');
    chmodSync(dir, 0o777);
    const config = join(makeTempDir('gatehouse-engine-config-'), 'config.json');
    writeFileSync(config, JSON.stringify({ login: { sessions: [{ id: 's', name: 'S', argv: ['/bin/true'] }] } }));
    const result = await runCli(['engine', '--socket', join(dir, 'engine.sock'), '--client-user', 'root', '--config', config]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/is writable by others/);
    expect(existsSync(join(dir, 'engine.sock'))).toBe(false);
  });

  it('its clients take no configuration of their own and run logins only', async () => {
    const bad = [
      [['check', '--flow', 'login', '--engine', 'relative.sock'], /--engine must be an absolute path/],
      [['check', '--flow', 'login', '--engine', '/run/x.sock', '--service', 'login'], /--service does not apply with --engine/],
      [['check', '--flow', 'unlock', '--engine', '/run/x.sock'], /the engine daemon runs logins only/],
      [['check', '--flow', 'login', '--engine', '/run/x.sock', '--source', 'greetd'], /exclude each other/],
      [['serve', '--engine', '/run/x.sock', '--mode', 'elevate'], /the engine daemon runs logins only/],
      [['serve', '--engine', '/run/x.sock', '--confdir', '/tmp'], /--confdir does not apply with --engine/],
    ] as const;
    const results = await Promise.all(bad.map(([args]) => runCli([...args])));
    bad.forEach(([args, message], i) => {
      expect(results[i]!.status, args.join(' ')).toBe(2);
      expect(results[i]!.stderr).toMatch(message);
    });
  });

  it('check --engine and serve --engine without a daemon: exit 1, and they say why', async () => {
    const socket = join(makeTempDir(), 'none.sock');
    const [check, serve] = await Promise.all([
      runCli(['check', '--json', '--flow', 'login', '--engine', socket]),
      runCli(['serve', '--engine', socket]),
    ]);
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/cannot reach the engine at .*none\.sock: ENOENT/);
    expect(check.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'INTERNAL_ERROR' });
    expect(serve.status).toBe(1);
    expect(serve.stderr).toMatch(/the engine is gone \(cannot reach the engine at .*: ENOENT\)/);
  });
});

describeInEtcOverlay('gatehouse engine as root, its client as the greeter user', () => {
  let daemon: RunningDaemon;
  let dir = '';
  let recordFile = '';

  /** Lines the scripted module wrote: one per pam_authenticate, one per pam_end (cleanup). */
  const recorded = () => {
    const lines = existsSync(recordFile) ? readFileSync(recordFile, 'utf8').split('\n') : [];
    return { started: lines.filter((l) => l.startsWith('auth ')).length, ended: lines.filter((l) => l.startsWith('cleanup ')).length };
  };

  /** The daemon's count of open transactions, from its last `transactions` line. */
  const lastOpenCount = () => daemon.logs().filter((e) => e.event === 'transactions').at(-1)?.open;

  const login = (args: string[], input: string, as = GREETER) =>
    runCli(['check', '--json', '--flow', 'login', '--engine', daemon.socketPath, ...args], { input, as });

  beforeAll(async () => {
    dir = makeTempDir('gatehouse-engine-');
    recordFile = join(dir, 'pam-record');
    const script = join(dir, 'script');
    writeFileSync(script, `[auth]\nrecord ${recordFile}\nrecord-cleanup ${recordFile}\n`);
    const probe = join(dir, 'probe.sh');
    writeFileSync(probe, '#!/bin/sh\necho "gatehouse-probe uid=$(id -u) gid=$(id -g) groups=$(id -G) user=$(id -un) type=$XDG_SESSION_TYPE" >&2\n');
    const long = join(dir, 'long.sh');
    writeFileSync(long, '#!/bin/sh\necho "gatehouse-long started uid=$(id -u)" >&2\nsleep 1.5\necho "gatehouse-long ended" >&2\n');
    for (const file of [script, probe, long]) chmodSync(file, 0o755);
    const conf = makeConfDir({
      'daemon-test': [
        `auth required ${SCRIPT_MODULE} script=${script}`,
        `auth required ${module('pam_unix.so')} nodelay`,
        `account required ${module('pam_unix.so')}`,
        `session required ${module('pam_unix.so')}`,
      ].join('\n'),
    });
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        login: {
          sessions: [
            { id: 'probe', name: 'Probe', argv: [probe] },
            { id: 'long', name: 'Long', argv: [long] },
          ],
          sessionType: 'tty',
          tty: 'tty9',
          // Runtime directories in the test's directory; no records in the machine's utmp / wtmp.
          runtimeDirBase: join(dir, 'run-user'),
          records: null,
        },
        timeouts: { promptMs: 30_000 },
      }),
    );
    daemon = await startDaemon(join(dir, 'engine.sock'), [
      '--client-user', USERS.greeter.name, '--config', config, '--confdir', conf.dir, '--service', 'daemon-test',
    ]);
  });

  afterAll(async () => {
    await daemon?.stop();
  });

  it('is non-dumpable: no core of it, no ptrace but root’s', () => {
    expect(daemon.listening.dumpable).toBe(false);
  });

  it('makes the socket the greeter user’s, mode 0600', () => {
    const stat = statSync(daemon.socketPath);
    expect(stat.isSocket()).toBe(true);
    expect(stat.uid).toBe(USERS.greeter.uid);
    expect(stat.mode & 0o777).toBe(0o600);
  });

  it('logs a user in end to end: the greeter user answers, the daemon starts the session as the user', async () => {
    const result = await login(['--user', LOGIN_USER.name, '--session', 'probe'], `${PASSWORD}\n`);
    expect(result.events).toEqual([
      { event: 'prompt', id: 'b1.0', style: 'echo-off', text: 'Password: ' },
      { event: 'outcome', ok: true, code: 'PAM_SUCCESS' },
    ]);
    expect(result.status).toBe(0);
    const probe = new RegExp(`gatehouse-probe uid=${LOGIN_USER.uid} gid=${LOGIN_USER.uid} groups=.* user=${LOGIN_USER.name} type=tty`);
    await daemon.waitForOutput(probe);
    expect(daemon.logs()).toContainEqual(expect.objectContaining({ event: 'attempt', mode: 'login', user: LOGIN_USER.name, ok: true, code: 'PAM_SUCCESS' }));
    const connected = daemon.logs().find((e) => e.event === 'client-connected');
    expect(connected).toBeDefined();
    assertNothingContains(result, [PASSWORD]);
    expect(daemon.cli.stderr()).not.toContain(PASSWORD);
  });

  it('reports a wrong password, and asks for the user name when none is given', async () => {
    const result = await login(['--session', 'probe'], `${LOGIN_USER.name}\nnot-the-password\n`);
    expect(result.events.filter((e) => e.event === 'prompt').map((e) => [e.style, e.text])).toEqual([
      ['echo-on', 'login:'],
      ['echo-off', 'Password: '],
    ]);
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'PAM_AUTH_ERR' });
    expect(result.status).toBe(1);
    assertNothingContains(result, ['not-the-password']);
  });

  it('refuses another user at the socket’s mode, and root (past the mode) by SO_PEERCRED', async () => {
    const other = await login(['--user', LOGIN_USER.name, '--session', 'probe'], `${PASSWORD}\n`, OTHER_USER);
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/cannot reach the engine at .*: EACCES/);

    const mark = daemon.logs().length;
    const received = await new Promise<number>((resolve, reject) => {
      let bytes = 0;
      const socket = connect(daemon.socketPath);
      socket.on('data', (chunk) => (bytes += chunk.length));
      socket.on('connect', () => socket.write(encodeFrame({ v: 1, type: 'hello' })));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(bytes));
      setTimeout(() => reject(new Error('the daemon kept a root connection open')), 5_000);
    });
    expect(received).toBe(0);
    const refused = await daemon.waitForLog((e) => e.event === 'peer-refused', mark);
    expect(refused).toMatchObject({ uid: 0, pid: process.pid });
  });

  it('answers garbage, empty and malformed frames with refused, and keeps the connection', async () => {
    const client = new RawClient(daemon.socketPath, GREETER);
    await client.connected;
    const body = Buffer.from('this is { not json');
    const header = Buffer.alloc(4);
    header.writeUInt32LE(body.length);
    client.sendBytes(Buffer.concat([header, body]));
    expect(await client.next('refused')).toMatchObject({ message: expect.stringMatching(/not JSON/) });
    client.sendBytes(Buffer.alloc(4)); // a frame of length 0
    expect((await client.next('refused')).message).toMatch(/not JSON/);
    client.send({ type: 'no-such-request' });
    // An unknown type is not echoed back (it might be anything the client typed).
    const unknown = await client.next('refused');
    expect(unknown.message).toMatch(/not a known message/);
    expect(JSON.stringify(unknown)).not.toContain('no-such-request');
    client.sendBytes(encodeFrame({ type: 'hello' })); // no version
    expect((await client.next('refused')).message).toMatch(/v: /);
    // A frame split across writes is still one frame.
    const hello = encodeFrame({ v: 1, type: 'hello' });
    client.sendBytes(hello.subarray(0, 3));
    await new Promise((r) => setTimeout(r, 50));
    client.sendBytes(hello.subarray(3));
    expect(await client.next('context')).toMatchObject({ mode: 'login', running: false, sessions: [{ id: 'probe' }, { id: 'long' }] });
    expect(client.isClosed).toBe(false);
    await client.close();
  });

  it('refuses requests out of order without changing anything', async () => {
    const client = new RawClient(daemon.socketPath, GREETER);
    await client.connected;
    client.send({ type: 'answer', id: 'b1.0', value: 'guess' });
    expect(await client.next('refused')).toMatchObject({ request: 'answer', message: 'no prompt with this id is pending' });
    client.send({ type: 'cancel' });
    expect(await client.next('refused')).toMatchObject({ request: 'cancel' });
    client.send({ type: 'begin', user: LOGIN_USER.name, session: 'no-such-session' });
    expect(await client.next('refused')).toMatchObject({ request: 'begin' });
    client.send({ type: 'hello' });
    expect((await client.next('context')).running).toBe(false);
    await client.close();
  });

  it('closes the connection on a frame over the size limit, and goes on serving', async () => {
    const client = new RawClient(daemon.socketPath, GREETER);
    await client.connected;
    const header = Buffer.alloc(4);
    header.writeUInt32LE(64 * 1024 * 1024);
    client.sendBytes(Buffer.concat([header, Buffer.alloc(1024, 0x41)]));
    expect((await client.next('refused')).message).toMatch(/at most 4096 bytes/);
    await client.whenClosed();
    const next = await login(['--user', LOGIN_USER.name, '--session', 'probe'], `${PASSWORD}\n`);
    expect(next.status).toBe(0);
  });

  it('refuses a second client while one is connected; the first keeps its conversation', async () => {
    const first = new RawClient(daemon.socketPath, GREETER);
    await first.connected;
    first.send({ type: 'hello' });
    await first.next('context');
    const second = new RawClient(daemon.socketPath, GREETER);
    expect(await second.next('refused')).toMatchObject({ message: 'another client is connected to this seat' });
    await second.whenClosed();
    first.send({ type: 'begin', user: LOGIN_USER.name, session: 'probe' });
    const prompt = await first.next('prompt');
    first.send({ type: 'answer', id: prompt.id, value: PASSWORD });
    expect(await first.next('outcome')).toMatchObject({ ok: true, code: 'PAM_SUCCESS' });
    await first.close();
  });

  it('cancels the flow of a client that disconnects mid-conversation, ending its transaction', async () => {
    const before = recorded();
    const client = new RawClient(daemon.socketPath, GREETER);
    await client.connected;
    client.send({ type: 'hello' });
    await client.next('context');
    client.send({ type: 'begin', user: LOGIN_USER.name, session: 'probe' });
    await client.next('prompt');
    const mark = daemon.logs().length;
    await client.close();
    expect(await daemon.waitForLog((e) => e.event === 'client-disconnected', mark)).toMatchObject({ flowRunning: true });
    expect(await daemon.waitForLog((e) => e.event === 'attempt', mark)).toMatchObject({ code: 'CANCELLED' });
    expect(await daemon.waitForLog((e) => e.event === 'transactions', mark)).toMatchObject({ open: 0 });
    const after = recorded();
    expect(after.started - before.started).toBe(1);
    expect(after.ended - before.ended).toBe(1);
    // The seat is free for the next client at once.
    expect((await login(['--user', LOGIN_USER.name, '--session', 'probe'], `${PASSWORD}\n`)).status).toBe(0);
  });

  it('lets a session run on when its greeter goes away; a greeter that comes back sees it', async () => {
    const client = new RawClient(daemon.socketPath, GREETER);
    await client.connected;
    client.send({ type: 'begin', user: LOGIN_USER.name, session: 'long' });
    const prompt = await client.next('prompt');
    client.send({ type: 'answer', id: prompt.id, value: PASSWORD });
    expect(await client.next('phase')).toMatchObject({ name: 'account' });
    await daemon.waitForOutput(/gatehouse-long started uid=\d+/);
    await client.close();
    const back = new RawClient(daemon.socketPath, GREETER);
    await back.connected;
    back.send({ type: 'hello' });
    expect(await back.next('context')).toMatchObject({ running: true });
    expect(await back.next('outcome')).toMatchObject({ ok: true, code: 'PAM_SUCCESS', reason: 'the session has ended' });
    expect(daemon.cli.stderr()).toContain('gatehouse-long ended');
    const mark = daemon.logs().length;
    await back.close();
    await daemon.waitForLog((e) => e.event === 'client-disconnected', mark);
  });

  it('has left no transaction open after all of it', async () => {
    expect(lastOpenCount()).toBe(0);
    const { started, ended } = recorded();
    expect(started).toBeGreaterThanOrEqual(6);
    expect(ended).toBe(started);
  });

  it('stops on SIGTERM with a flow running: the transaction is ended, the socket removed, the client told', async () => {
    const client = startCli(['check', '--json', '--flow', 'login', '--engine', daemon.socketPath, '--user', LOGIN_USER.name, '--session', 'probe'], {
      as: GREETER,
    });
    await client.nextEvent((e) => e.event === 'prompt');
    const before = recorded();
    const { status } = await daemon.stop();
    expect(status).toBe(0);
    const result = await client.exited();
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'INTERNAL_ERROR' });
    expect(result.stderr).toMatch(/the connection to the engine was lost/);
    expect(result.status).toBe(1);
    expect(existsSync(daemon.socketPath)).toBe(false);
    const after = recorded();
    expect(after.ended).toBe(after.started);
    expect(after.ended - before.ended).toBe(1);
  });
});
