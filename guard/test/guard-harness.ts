// Runs the real gatehouse-guard the way the app does (startGuardedLock, the app's
// own code) with a test client as its UI, and keeps what it says: its log lines,
// its status lines, and the stand-in UI's notes.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../../lab/paths';
import { makeTempDir } from '../../lab/tmp';
import { startGuardedLock, type GuardedLock } from '../../main/hosts/electron/guard/guarded-lock';
import type { XServer } from './x-server';

export const GUARD = join(REPO_ROOT, 'dist', 'libexec', 'gatehouse-guard');
const CLIENTS = join(REPO_ROOT, 'guard', 'build', 'test');
export const CLIENT = {
  canary: join(CLIENTS, 'canary'),
  probe: join(CLIENTS, 'grab-probe'),
  standIn: join(CLIENTS, 'stand-in-ui'),
};

/** Colours on screen: the canary's, the stand-in UI's, the guard's cover, the emergency text. */
export const COLOUR = { canary: 0xff0000, standIn: 0x00c000, cover: 0x101318, text: 0xffffff };

/** Builds the guard and the test clients (make: only what changed). */
export function buildGuard(): void {
  execFileSync('make', ['-s', '-C', join(REPO_ROOT, 'guard'), 'all', 'test-clients'], { stdio: 'inherit' });
}

/** Milliseconds on the monotonic clock, the clock the guard's log uses. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export interface GuardLogLine {
  guard: string;
  t: number;
  [field: string]: unknown;
}

export interface GuardRun {
  lock: GuardedLock;
  logs: GuardLogLine[];
  /** Other stderr lines (the UI's). */
  otherOutput: string[];
  /** The stand-in UI's notes (STANDIN_LOG), one per line. */
  notes(): string[];
  /** The next log line of this kind after `after` (monotonic ms) that matches. */
  waitFor(event: string, options?: { after?: number; where?: (line: GuardLogLine) => boolean; timeoutMs?: number }): Promise<GuardLogLine>;
  /** The guard's exit status, once its output has been read to the end. */
  ended: Promise<number>;
  /** `ended`, or an error that says what the guard and the UI were doing after `ms`. */
  endsWithin(ms: number): Promise<number>;
  /** The pid of the UI running now (the last ui-started). */
  uiPid(): number;
}

export interface GuardRunOptions {
  /** The UI: the stand-in by default. */
  child?: string[];
  standIn?: Record<string, string>;
  guardOptions?: string[];
  sleepLockFd?: number;
}

export function runGuard(server: XServer, options: GuardRunOptions = {}): GuardRun {
  const notesFile = join(makeTempDir('gatehouse-guard-test-'), 'stand-in.log');
  const lock = startGuardedLock({
    guard: GUARD,
    child: options.child ?? [CLIENT.standIn],
    guardOptions: options.guardOptions ?? [],
    env: { ...server.env, STANDIN_LOG: notesFile, ...options.standIn },
    stderr: 'pipe',
    ...(options.sleepLockFd === undefined ? {} : { sleepLockFd: options.sleepLockFd }),
  });
  const logs: GuardLogLine[] = [];
  const otherOutput: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: lock.process.stderr! }).on('line', (line) => {
    if (line.startsWith('{"guard":')) logs.push(JSON.parse(line) as GuardLogLine);
    else otherOutput.push(line);
    for (const wake of [...waiters]) wake();
  });
  const waitFor: GuardRun['waitFor'] = (event, { after = -Infinity, where = () => true, timeoutMs = 10_000 } = {}) =>
    new Promise((resolve, reject) => {
      const look = () => {
        const found = logs.find((l) => l.guard === event && l.t >= after && where(l));
        if (found === undefined) return;
        waiters.delete(look);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(look);
        reject(new Error(`the guard logged no '${event}' in ${timeoutMs} ms; it logged: ${logs.map((l) => l.guard).join(', ')}`));
      }, timeoutMs);
      waiters.add(look);
      look();
    });
  const outputRead = new Promise<void>((resolve) => lock.process.once('close', () => resolve()));
  const ended = outputRead.then(() => lock.finished);
  const notes = () => (existsSync(notesFile) ? readFileSync(notesFile, 'utf8').split('\n').filter((l) => l !== '') : []);
  const state = (pid: number | undefined) => {
    if (pid === undefined || !existsSync(`/proc/${pid}`)) return 'gone';
    const read = (name: string) => {
      try {
        return readFileSync(`/proc/${pid}/${name}`, 'utf8').trim();
      } catch (error) {
        return (error as Error).message;
      }
    };
    return `wchan=${read('wchan')} syscall=${read('syscall')}`;
  };
  const endsWithin = async (ms: number) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
    const result = await Promise.race([ended, late]);
    clearTimeout(timer);
    if (result !== 'late') return result;
    const ui = logs.filter((l) => l.guard === 'ui-started').at(-1)?.pid as number | undefined;
    throw new Error(
      `the guard did not end within ${ms} ms. guard: ${state(lock.process.pid)}; UI ${ui}: ${state(ui)}; ` +
        `log: ${logs.map((l) => l.guard).join(', ')}; UI notes: ${notes().slice(-4).join(' | ')}`,
    );
  };
  return {
    lock,
    ended,
    endsWithin,
    logs,
    otherOutput,
    notes,
    waitFor,
    uiPid: () => {
      const started = logs.filter((l) => l.guard === 'ui-started');
      if (started.length === 0) throw new Error('no UI started');
      return started[started.length - 1]!.pid as number;
    },
  };
}

/** A canary: someone else's window, red, reporting every key and click it gets. */
export interface Canary {
  window: string;
  process: ChildProcess;
  received(): string[];
  stop(): void;
}

/** A canary on the X server of `env` (its DISPLAY). */
export async function startCanary(env: NodeJS.ProcessEnv, x: number, y: number, width = 300, height = 200): Promise<Canary> {
  const child = spawn(CLIENT.canary, [String(x), String(y), String(width), String(height)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const window = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('ready ')) resolve(line.slice(6));
      else lines.push(line);
    });
    child.once('exit', (code) => reject(new Error(`the canary exited (${code})`)));
  });
  return { window, process: child, received: () => [...lines], stop: () => void child.kill() };
}

/** grab-probe once: whether another client can take the keyboard and the pointer now. */
export function probeGrabs(server: XServer): { keyboard: string; pointer: string } {
  const [keyboard, pointer] = server
    .run(CLIENT.probe, ['once'])
    .trim()
    .split(' ')
    .map((part) => part.split('=')[1]!);
  return { keyboard: keyboard!, pointer: pointer! };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
