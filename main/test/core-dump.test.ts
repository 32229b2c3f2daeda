// No answer left in memory: gdb's gcore takes a core of a real `gatehouse serve`
// and a real `gatehouse check` after each flow, and none of the flow's passwords
// is in it (as bytes, or as a JS string in either of V8's encodings). Root is
// needed: the processes are non-dumpable, and only root may still ptrace them
// (which is also shown: a check run as a test user hands its /proc entry to root).
// Real pam_unix in the /etc overlay; gcore honours MADV_DONTDUMP, so the
// addon's locked secure memory is left out of the core, as from any crash dump.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync, readSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeConfDir } from '../../lab/confdir';
import { describeInEtcOverlay } from '../../lab/skip';
import { unixStack } from '../../lab/stacks';
import { makeTempDir } from '../../lab/tmp';
import { PASSWORD, USERS } from '../../lab/users';
import { startServe, stopServe, UiClient, type Served } from '../hosts/browser/test/serve-process';
import { CLI, startCli, type RunningCli } from './cli-process';

const WRONG_SERVE = 'Wrong-Serve-Passw0rd-xq';
const WRONG_CHECK = 'Wrong-Check-Passw0rd-zv';
const GCORE = '/usr/bin/gcore';
/** A core of a Node process is about 1 GB to write and read: minutes on a busy machine. */
const CORE_TEST_MS = 300_000;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A config whose engine holds the next attempt long enough (60 s) for a core to be taken before check exits. */
function configFile(extra: Record<string, unknown> = {}): string {
  const file = join(makeTempDir('gatehouse-core-config-'), 'config.json');
  writeFileSync(file, JSON.stringify({ lockout: { minFailDelayMs: 60_000 }, ...extra }));
  return file;
}

/** Takes a core of `pid` with gcore and returns which of `secrets` it contains (none, we hope). */
function secretsInCore(pid: number, secrets: string[]): string[] {
  const dir = makeTempDir('gatehouse-core-');
  const prefix = join(dir, 'core');
  execFileSync(GCORE, ['-o', prefix, String(pid)], { stdio: 'ignore', timeout: 120_000 });
  const file = `${prefix}.${pid}`;
  try {
    expect(statSync(file).size).toBeGreaterThan(0);
    return findIn(file, secrets);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Streams through `file` looking for each secret in UTF-8 and in UTF-16LE (V8's two-byte strings). */
function findIn(file: string, secrets: string[]): string[] {
  const needles = secrets.flatMap((s) => [
    { secret: s, bytes: Buffer.from(s, 'utf8') },
    { secret: s, bytes: Buffer.from(s, 'utf16le') },
  ]);
  const overlap = Math.max(...needles.map((n) => n.bytes.length)) - 1;
  const found = new Set<string>();
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(16 * 1024 * 1024 + overlap);
    let carried = 0;
    for (;;) {
      const n = readSync(fd, chunk, carried, chunk.length - carried, null);
      if (n === 0) break;
      const window = chunk.subarray(0, carried + n);
      for (const needle of needles) if (window.includes(needle.bytes)) found.add(needle.secret);
      carried = Math.min(overlap, window.length);
      window.copy(chunk, 0, window.length - carried);
    }
  } finally {
    closeSync(fd);
  }
  return [...found];
}

async function waitForOutcome(ui: UiClient) {
  const outcome = await ui.next('outcome');
  const delay = ui.events.filter((e) => e.type === 'delay').at(-1);
  return { outcome, delay: delay?.type === 'delay' ? delay : undefined };
}

const gcoreMissing = existsSync(GCORE) ? undefined : `${GCORE} is missing (gdb; build/apt-packages.txt lists it)`;
if (gcoreMissing !== undefined) console.warn(`SKIP the core-dump scans: ${gcoreMissing}`);

describeInEtcOverlay('no answer in a core of gatehouse serve or gatehouse check', () => {
  it.skipIf(gcoreMissing !== undefined)('serve: after a wrong and after the right password, through the WebSocket', async () => {
    const conf = makeConfDir({ unix: unixStack({ failDelayUs: 1_000 }) });
    const config = configFile({ lockout: { minFailDelayMs: 200 } });
    const served: Served = await startServe(['--mode', 'unlock', '--config', config, '--service', 'unix', '--confdir', conf.dir, '--user', USERS.plain.name]);
    cleanups.push(async () => void (await stopServe(served)));
    const pid = served.cli.child.pid!;
    const ui = await UiClient.connect(served);

    ui.send({ type: 'begin' });
    ui.send({ type: 'answer', id: (await ui.next('prompt')).id, value: WRONG_SERVE });
    const first = await waitForOutcome(ui);
    expect(first.outcome).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
    expect(secretsInCore(pid, [WRONG_SERVE])).toEqual([]);

    if (first.delay !== undefined) await new Promise((r) => setTimeout(r, Math.max(0, first.delay!.until - Date.now()) + 50));
    ui.send({ type: 'begin' });
    ui.send({ type: 'answer', id: (await ui.next('prompt')).id, value: PASSWORD });
    expect((await waitForOutcome(ui)).outcome).toMatchObject({ ok: true, code: 'PAM_SUCCESS' });
    expect(secretsInCore(pid, [WRONG_SERVE, PASSWORD])).toEqual([]);
    }, CORE_TEST_MS);

  it.skipIf(gcoreMissing !== undefined)('check, run as the user: non-dumpable, and no wrong password in it while it waits out the delay', async () => {
    const user = USERS.plain;
    const conf = makeConfDir({ unix: unixStack({ failDelayUs: 1_000 }) });
    // As the user: the state directory and the config must be the user's to read.
    const stateDir = makeTempDir('gatehouse-core-state-');
    execFileSync('chown', [`${user.uid}:${user.uid}`, stateDir]);
    const check = spawn(
      'setpriv',
      [`--reuid=${user.uid}`, `--regid=${user.uid}`, '--init-groups', process.execPath, CLI,
        'check', '--flow', 'unlock', '--config', configFile(), '--service', 'unix', '--confdir', conf.dir, '--json'],
      { env: { ...process.env, GATEHOUSE_STATE_DIR: stateDir, HOME: stateDir }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    cleanups.push(() => void check.kill('SIGKILL'));
    const lines = jsonLines(check);
    await lines.waitFor((e) => e.event === 'prompt');
    check.stdin.write(`${WRONG_CHECK}\n`);
    await lines.waitFor((e) => e.event === 'delay');
    // setpriv exec'd node: same pid. Non-dumpable: /proc/PID belongs to root, not to the user.
    expect(statSync(`/proc/${check.pid}/status`).uid).toBe(0);
    expect(secretsInCore(check.pid!, [WRONG_CHECK])).toEqual([]);
    }, CORE_TEST_MS);

  it.skipIf(gcoreMissing !== undefined)('check: no right password in it while the login session it started runs', async () => {
    const user = USERS.session;
    const conf = makeConfDir({ login: unixStack({ failDelayUs: 1_000 }) });
    const config = configFile({ login: { sessions: [{ id: 'wait', name: 'Wait', argv: ['/bin/sleep', '600'] }], sessionType: 'tty' } });
    const check: RunningCli = startCli(['check', '--flow', 'login', '--config', config, '--service', 'login', '--confdir', conf.dir, '--user', user.name, '--json']);
    // SIGTERM: the check closes the engine, which ends the session command too.
    cleanups.push(async () => {
      check.child.kill('SIGTERM');
      await check.exited(20_000);
    });
    await check.nextEvent((e) => e.event === 'prompt');
    check.send(PASSWORD);
    await check.nextEvent((e) => e.event === 'result' && e.op === 'open_session');
    expect(secretsInCore(check.child.pid!, [PASSWORD])).toEqual([]);
    }, CORE_TEST_MS);
});

/** stdout of a child as JSON lines, with a wait for the first line that matches. */
function jsonLines(child: ReturnType<typeof spawn>) {
  const seen: Record<string, unknown>[] = [];
  let buffered = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) if (line !== '') seen.push(JSON.parse(line) as Record<string, unknown>);
  });
  return {
    async waitFor(match: (e: Record<string, unknown>) => boolean, timeoutMs = 20_000) {
      for (let waited = 0; waited < timeoutMs; waited += 20) {
        const found = seen.find(match);
        if (found !== undefined) return found;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no matching line; stdout: ${JSON.stringify(seen)} stderr: ${stderr}`);
    },
  };
}
