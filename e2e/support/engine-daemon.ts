// The login without root, as the e2e suite runs it: `gatehouse engine` as root on
// a real stack, and Debian's Chromium started as the greeter's user with its
// sandbox on (a wrapper that drops to the user before Chromium starts, since
// Playwright launches browsers from the test runner, which is root).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { makeConfDir } from '../../lab/confdir';
import { REPO_ROOT } from '../../lab/paths';
import { makeTempDir } from '../../lab/tmp';
import { CHROMIUM_PATH } from '../chromium';

const CLI = join(REPO_ROOT, 'dist', 'main', 'cli.js');

export interface RunAs {
  uid: number;
  gid: number;
}

export interface RunningEngineDaemon {
  socketPath: string;
  /** The daemon's stderr: its log, and what the sessions it starts print. */
  output(): string;
  stop(): Promise<void>;
}

/** `gatehouse engine` as root for `client`, on `service` (a PAM service file) with `config`. */
export async function startEngineDaemon(options: {
  service: string;
  config: Record<string, unknown>;
  client: string;
  /** More environment for the daemon (XDG_DATA_DIRS: where it finds installed sessions). */
  env?: NodeJS.ProcessEnv;
}): Promise<RunningEngineDaemon> {
  const dir = makeTempDir('gatehouse-e2e-engine-');
  const conf = makeConfDir({ 'gatehouse-e2e-engine': options.service });
  const config = join(dir, 'config.json');
  // Sessions keep their runtime directories in the test's directory, and write
  // no utmp / wtmp records (the machine's files are not the test's).
  const login = { runtimeDirBase: join(dir, 'run-user'), records: null, ...(options.config.login as object | undefined) };
  writeFileSync(config, JSON.stringify({ ...options.config, login }));
  const socketPath = join(dir, 'engine.sock');
  const args = [CLI, 'engine', '--socket', socketPath, '--client-user', options.client, '--config', config, '--confdir', conf.dir, '--service', 'gatehouse-e2e-engine'];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"listening"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`gatehouse engine exited (${code}) before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`gatehouse engine did not listen within 15 s:\n${output}`)), 15_000).unref();
  });
  return { socketPath, output: () => output, stop: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}

/**
 * An executable that starts Debian's Chromium as `as`, for Playwright's
 * executablePath. The profile directory Playwright made (root's) is handed to
 * the user first; setpriv and env keep the pipe Playwright drives Chromium through.
 */
export function chromiumAs(as: RunAs): string {
  const dir = makeTempDir('gatehouse-e2e-chromium-');
  const home = join(dir, 'home');
  const wrapper = join(dir, 'chromium');
  writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      'for arg in "$@"; do',
      `  case "$arg" in --user-data-dir=*) chown -R ${as.uid}:${as.gid} "\${arg#--user-data-dir=}" ;; esac`,
      'done',
      `mkdir -p ${home} && chown ${as.uid}:${as.gid} ${home}`,
      `exec /usr/bin/setpriv --reuid=${as.uid} --regid=${as.gid} --init-groups /usr/bin/env HOME=${home} ${CHROMIUM_PATH} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(wrapper, 0o755);
  chownSync(dir, 0, 0);
  return wrapper;
}
