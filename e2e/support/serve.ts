// A real `gatehouse serve` child process on a PAM stack of the test's choice: the
// service file goes into a fresh confdir, the settings into a config file, and
// the process prints its URL and one line per finished flow on stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Mode } from '../../main/protocol/messages';
import { makeConfDir } from '../../lab/confdir';
import { REPO_ROOT } from '../../lab/paths';
import { keepOutput } from '../../lab/test-logs';
import { makeTempDir } from '../../lab/tmp';

export const SERVICE = 'gatehouse-e2e';
const CLI = join(REPO_ROOT, 'dist', 'main', 'cli.js');

export interface ServeSetup {
  mode: Mode;
  /** The PAM service file (lab/stacks.ts, lab/matrix.ts); not with configFile. */
  service?: string;
  /** unlock: the session owner; elevate: the requesting user. */
  user?: string;
  /** Config file fields (main/config/schema.ts), on top of the suite's defaults. */
  config?: Record<string, unknown>;
  /** A whole config file of its own (the demo's), naming its services and confdir. */
  configFile?: string;
  /** serve's environment on top of the test's (LANG, DISPLAY, the demo's nss_wrapper). */
  env?: Record<string, string>;
}

/** One `{"event":"outcome",...}` line of serve's stdout. */
export interface OutcomeLine {
  event: 'outcome';
  mode: Mode;
  user: string | null;
  ok: boolean;
  code: string;
}

export interface RunningServe {
  /** The one-time entry URL serve printed: the first goto() spends it for the session cookie. */
  url: string;
  /** serve's process id (for the hardening checks: /proc, gcore). */
  pid: number;
  outcomes: OutcomeLine[];
  /** Resolves once `count` flows have finished. */
  waitForOutcomes(count: number, timeoutMs?: number): Promise<OutcomeLine[]>;
  /** Everything serve printed (stdout and stderr), for checks and failure reports. */
  output(): string;
  stop(): Promise<void>;
}

const DEFAULT_CONFIG = {
  theme: 'dark',
  locale: 'en',
  // The on-screen keyboard does not follow the test machine's keyboard.
  keyboardLayouts: ['us'],
  // The e2e users confirm for themselves, also when the suite runs as root.
  elevate: { adminGroup: null, action: 'Install 3 software updates', program: 'Software Updates' },
  timeouts: { promptMs: 60_000 },
};

export async function startServe(setup: ServeSetup): Promise<RunningServe> {
  const args = ['--mode', setup.mode];
  if (setup.configFile !== undefined) {
    args.push('--config', setup.configFile);
  } else {
    if (setup.service === undefined) throw new Error('startServe: a service (or a configFile) is needed');
    const conf = makeConfDir({ [SERVICE]: setup.service });
    const configFile = join(makeTempDir('gatehouse-e2e-config-'), 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...DEFAULT_CONFIG, ...setup.config }));
    args.push('--config', configFile, '--confdir', conf.dir, '--service', SERVICE);
  }
  if (setup.user !== undefined) args.push('--user', setup.user);
  return launchServe(args, setup.env);
}

/**
 * `gatehouse serve --engine SOCKET` as another user (the greeter's): a client of
 * the engine daemon, with no configuration of its own.
 */
export function startServeOnEngine(socketPath: string, as: { uid: number; gid: number }): Promise<RunningServe> {
  return launchServe(['--engine', socketPath], undefined, as);
}

async function launchServe(serveArgs: string[], extraEnv?: Record<string, string>, as?: { uid: number; gid: number }): Promise<RunningServe> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  // Lockout tallies of its own (main/config/state-dir.ts): one test's failures must
  // not lock another's user. (A client of the engine daemon keeps none.)
  const stateDir = as === undefined ? { GATEHOUSE_STATE_DIR: makeTempDir('gatehouse-e2e-state-') } : {};
  const env = { ...process.env, ...stateDir, ...extraEnv };
  const child = spawn(process.execPath, [CLI, 'serve', ...serveArgs], {
    cwd: as === undefined ? REPO_ROOT : '/',
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
    ...(as === undefined ? {} : { uid: as.uid, gid: as.gid }),
  });

  keepOutput('e2e-serve', child.pid, child.stdout, child.stderr);
  let output = '';
  const outcomes: OutcomeLine[] = [];
  const waiters: Array<() => void> = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      output += `${line}\n`;
      let parsed: { event?: string; url?: string };
      try {
        parsed = JSON.parse(line) as { event?: string; url?: string };
      } catch {
        return; // stdout is JSON lines by contract; anything else is only kept for the report
      }
      if (parsed.event === 'listening' && parsed.url !== undefined) resolve(parsed.url);
      if (parsed.event === 'outcome') {
        outcomes.push(parsed as OutcomeLine);
        waiters.splice(0).forEach((wake) => wake());
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`gatehouse serve exited (${signal ?? code}) before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`gatehouse serve printed no URL within 15 s:\n${output}`)), 15_000).unref();
  });

  let url: string;
  try {
    url = await listening;
  } catch (error) {
    await stop(child);
    throw error;
  }

  return {
    url,
    pid: child.pid ?? 0,
    outcomes,
    async waitForOutcomes(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (outcomes.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} outcome(s), got ${JSON.stringify(outcomes)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200).unref();
        });
      }
      return outcomes.slice(0, count);
    },
    output: () => output,
    stop: () => stop(child),
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}
