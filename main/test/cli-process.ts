// The built `gatehouse` command as a real child process, for tests of the CLI and
// of its hosts. Needs `node scripts/build.mjs native typescript` first (npm test
// builds everything before it runs the suites).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../lab/paths';
import { keepOutput, recordAnswer } from '../../lab/test-logs';
import { makeTempDir } from '../../lab/tmp';

export const CLI = join(REPO_ROOT, 'dist', 'main', 'cli.js');

function assertBuilt(): void {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} does not exist: run \`node scripts/build.mjs native typescript\` (npm test does) first`);
  }
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout, one parsed JSON object per line (throws if a line is not JSON). */
  events: Record<string, unknown>[];
  durationMs: number;
}

/** A user other than root to run the command as (spawn's uid / gid). */
export interface RunAs {
  uid: number;
  gid: number;
}

export interface CliOptions {
  /** Written to stdin, which is then closed (EOF). */
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  as?: RunAs;
}

/** Runs `gatehouse ARGS...` to completion. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const cli = startCli(args, {
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.as === undefined ? {} : { as: options.as }),
  });
  for (const line of (options.input ?? '').split('\n')) recordAnswer(line.replace(/\r$/, ''));
  cli.child.stdin.end(options.input ?? '');
  return cli.exited(options.timeoutMs);
}

/** Parses stdout as JSON lines; every line must be exactly one JSON object. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const value: unknown = JSON.parse(line);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`not a JSON object: ${line}`);
      return value as Record<string, unknown>;
    });
}

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the first stdout JSON line that `match` accepts (rejects on exit). */
  nextEvent(match?: (e: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Writes one line to stdin. */
  send(line: string): void;
  exited(timeoutMs?: number): Promise<CliResult>;
  stdout(): string;
  stderr(): string;
}

/** How to start the command another way (in a namespace, as another user): a prefix and the whole environment. */
export interface Launcher {
  prefix: string[];
  env: NodeJS.ProcessEnv;
}

/** Starts `gatehouse ARGS...` with piped stdio, for tests that converse with it. */
export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv; launcher?: Launcher; as?: RunAs } = {}): RunningCli {
  assertBuilt();
  const started = Date.now();
  const launcher = options.launcher;
  const argv = [...(launcher?.prefix ?? []), process.execPath, CLI, ...args];
  // Each process gets lockout state of its own (main/config/state-dir.ts) unless
  // the test shares one: one test's failures must not lock another test's user.
  const state = { GATEHOUSE_STATE_DIR: makeTempDir('gatehouse-state-') };
  const child = spawn(argv[0]!, argv.slice(1), {
    env: launcher === undefined ? { ...process.env, ...state, ...options.env } : { ...state, ...launcher.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Another user: no supplementary groups of ours, and a working directory it may enter.
    ...(options.as === undefined ? {} : { uid: options.as.uid, gid: options.as.gid, cwd: '/' }),
  });
  keepOutput(`gatehouse-${args[0] ?? 'cli'}`, child.pid, child.stdout, child.stderr);
  let stdout = '';
  let stderr = '';
  let consumed = 0; // stdout lines already handed out by nextEvent
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // A child that exits before reading all its input must not fail the test with EPIPE.
  child.stdin.on('error', () => undefined);
  const exit = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (status, signal) => {
      resolve({ status, signal });
      for (const listener of listeners) listener();
    });
  });
  let closed = false;
  void exit.then(() => {
    closed = true;
  });

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    send(line) {
      recordAnswer(line);
      child.stdin.write(`${line}\n`);
    },
    nextEvent(match = () => true, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const lines = stdout.split('\n');
          const complete = lines.slice(0, -1);
          while (consumed < complete.length) {
            const event = JSON.parse(complete[consumed++]!) as Record<string, unknown>;
            if (match(event)) {
              finish();
              resolve(event);
              return;
            }
          }
          if (closed) {
            finish();
            reject(new Error(`gatehouse exited before the expected event; stdout:\n${stdout}\nstderr:\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no matching event within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async exited(timeoutMs = 25_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const { status, signal } = await exit;
      clearTimeout(timer);
      const durationMs = Date.now() - started;
      return {
        status,
        signal,
        stdout,
        stderr,
        durationMs,
        get events() {
          return jsonLines(stdout);
        },
      };
    },
  };
}

/** Fails if any of `secrets` appears anywhere the process wrote. */
export function assertNothingContains(result: { stdout: string; stderr: string }, secrets: string[]): void {
  for (const secret of secrets) {
    if (result.stdout.includes(secret) || result.stderr.includes(secret)) {
      throw new Error('an answer appeared in the output of gatehouse');
    }
  }
}
