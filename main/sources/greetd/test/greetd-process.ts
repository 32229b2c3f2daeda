// Debian's real greetd (0.9) as a child process, inside the /etc overlay: its PAM
// services written into the overlay's /etc/pam.d (greetd reads only
// /etc/pam.d/greetd and greetd-greeter), its default_session pointing at
// `gatehouse check --source greetd` run as the lab's greeter user.
//
// The terminal: greetd's `vt = "none"`. With a VT number greetd takes that
// console over (KDSETMODE, VT_ACTIVATE, TIOCSCTTY, clearing it), and with
// "current"/"next" it asks /dev/tty0 which console is active: /dev/tty0 and
// /dev/tty7 exist on the machines the tests run on and answer VT ioctls (the
// active console is tty1), so any of those would act on the real console of the
// machine running the tests. With "none" greetd leaves terminals alone and its
// greeter and sessions inherit greetd's stdin and stdout: the test answers the
// greeter's prompts on greetd's stdin and reads check's JSON lines (and what the
// session prints) on greetd's stdout.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertEtcOverlay } from '../../../../lab/etc-overlay';
import { descendantsOf } from '../../../../lab/processes';
import { makeTempDir } from '../../../../lab/tmp';
import { USERS } from '../../../../lab/users';
import { CLI } from '../../../test/cli-process';

export const GREETD = '/usr/sbin/greetd';

export interface GreetdSetup {
  /** /etc/pam.d/greetd: the stack users log in with. */
  service: string;
  /** check's --user (absent: PAM's own prompt asks, through greetd). */
  user?: string;
}

export interface RunningGreetd {
  /** Every JSON line on greetd's stdout so far (check's --json output, from every greeter run). */
  events(): Record<string, unknown>[];
  /** Everything greetd's stdout got. */
  stdout(): string;
  /** greetd's stderr, and the greeters'. */
  stderr(): string;
  /** The greeters' own stderr (check's diagnostics and the engine's log). */
  greeterLog(): string;
  /** Resolves when `match` accepts a JSON line from index `from` on. */
  nextEvent(match: (e: Record<string, unknown>) => boolean, from?: number, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when stdout matches. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** One line of input for the greeter. */
  answer(line: string): void;
  /** Closes the greeter's input (the end of input cancels check's flow). */
  endInput(): void;
  /** greetd's exit, if it has exited. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops greetd and everything it started (greeters, session workers, sessions). */
  stop(): Promise<void>;
}

/** What the session prints, as the user: who it runs as and what greetd passed on. */
export const PROBE_PATTERN = /gatehouse-probe uid=(\d+) gid=(\d+) groups=([\d ]+) user=(\S+) type=(\S+) class=(\S+)/;

export function startGreetd(setup: GreetdSetup): RunningGreetd {
  assertEtcOverlay();
  const dir = makeTempDir('gatehouse-greetd-');
  writeFileSync('/etc/pam.d/greetd', `${setup.service.trim()}\n`);
  // The greeter's own session (greetd opens one for it): nothing to check.
  writeFileSync('/etc/pam.d/greetd-greeter', ['auth', 'account', 'session'].map((g) => `${g} required pam_permit.so`).join('\n') + '\n');

  const probe = join(dir, 'probe.sh');
  writeFileSync(
    probe,
    '#!/bin/sh\necho "gatehouse-probe uid=$(id -u) gid=$(id -g) groups=$(id -G) user=$(id -un) type=$XDG_SESSION_TYPE class=$XDG_SESSION_CLASS"\n',
  );
  chmodSync(probe, 0o755);
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({ login: { sessions: [{ id: 'probe', name: 'Probe', argv: [probe] }], sessionType: 'wayland' }, timeouts: { promptMs: 30_000 } }),
  );
  chmodSync(config, 0o644);
  const greeterLog = join(dir, 'greeter.log');
  writeFileSync(greeterLog, '');
  chownSync(greeterLog, USERS.greeter.uid, USERS.greeter.uid);

  const check = [process.execPath, CLI, 'check', '--json', '--flow', 'login', '--source', 'greetd', '--config', config, '--session', 'probe'];
  if (setup.user !== undefined) check.push('--user', setup.user);
  // greetd runs it as `sh -c "exec COMMAND"`.
  const command = `${check.join(' ')} 2>>${greeterLog}`;
  const greetdConfig = join(dir, 'greetd.toml');
  writeFileSync(
    greetdConfig,
    [
      '[terminal]',
      'vt = "none"',
      '[general]',
      'source_profile = false',
      `runfile = "${join(dir, 'greetd.run')}"`,
      '[default_session]',
      `command = "${command}"`,
      `user = "${USERS.greeter.name}"`,
      '',
    ].join('\n'),
  );

  const child: ChildProcessWithoutNullStreams = spawn(GREETD, ['--config', greetdConfig], { cwd: '/', stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin.on('error', () => undefined);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const events = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const poll = (ready: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const look = () => {
        if (ready()) return resolve();
        if (Date.now() - started > timeoutMs) {
          return reject(new Error(`${what} within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}\ngreeter log:\n${readFileSync(greeterLog, 'utf8')}`));
        }
        setTimeout(look, 25);
      };
      look();
    });

  return {
    events,
    stdout: () => stdout,
    stderr: () => stderr,
    greeterLog: () => readFileSync(greeterLog, 'utf8'),
    async nextEvent(match, from = 0, timeoutMs = 20_000) {
      let found: Record<string, unknown> | undefined;
      await poll(() => (found = events().slice(from).find(match)) !== undefined, 'no such event', timeoutMs);
      return found!;
    },
    waitForOutput: (pattern, timeoutMs = 20_000) => poll(() => pattern.test(stdout), `no ${pattern}`, timeoutMs),
    answer: (line) => void child.stdin.write(`${line}\n`),
    endInput: () => void child.stdin.end(),
    exited: () => exit,
    async stop() {
      // greetd's own children set their parent-death signals, but its session
      // worker calls setsid(): gather the whole tree first and end it by pid.
      const tree = descendantsOf(child.pid!);
      child.kill('SIGTERM');
      const stopped = await Promise.race([exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3_000))]);
      if (!stopped) child.kill('SIGKILL');
      for (const pid of [...tree, ...descendantsOf(child.pid!)]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exit;
    },
  };
}
