// A lock screen under the guard: runs gatehouse-guard, which covers the screen,
// grabs the input and then runs the UI (`child`) as its own child. What the guard
// reports on stdout ("covered", "emergency", "released") resolves the promises;
// its exit status is the lock's. Electron-free: `gatehouse lock`, `gatehouse
// --mode unlock` and the guard's own tests use it alike.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import type { LockScreen } from '../../../lock/lock-daemon';
import { stdioPassingOn } from '../../../lock/lock-support';

export interface GuardedLockOptions {
  /** The gatehouse-guard binary. */
  guard: string;
  /** The UI: program and arguments (it gets the channel as GATEHOUSE_GUARD_FD). */
  child: readonly string[];
  /** How to recover from a text console, for the guard's emergency cover. */
  recovery?: string;
  /** Extra guard options (timeouts, restarts). */
  guardOptions?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** xss-lock's sleep lock (XSS_SLEEP_LOCK_FD): handed to the guard, which closes it once the screen is covered. */
  sleepLockFd?: number;
  /** 'inherit' (the default): the guard's and the UI's log go where ours goes. */
  stderr?: 'inherit' | 'pipe';
}

export interface GuardedLock extends LockScreen {
  readonly process: ChildProcess;
  /** Every output is covered and the input is grabbed (the guard said "covered"). */
  readonly covered: Promise<void>;
  /** The UI kept failing: the guard shows its emergency cover (and stays). */
  readonly emergency: Promise<void>;
  /** The guard's exit status: 0 only after the UI reported a successful unlock. */
  readonly finished: Promise<number>;
  stop(signal?: NodeJS.Signals): void;
}

export function startGuardedLock(options: GuardedLockOptions): GuardedLock {
  const args = [...(options.guardOptions ?? [])];
  if (options.recovery !== undefined) args.push('--recovery', options.recovery);
  args.push('--', ...options.child);
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  // The sleep lock is passed on under its own number, which the guard reads from XSS_SLEEP_LOCK_FD.
  delete env.XSS_SLEEP_LOCK_FD;
  if (options.sleepLockFd !== undefined) env.XSS_SLEEP_LOCK_FD = String(options.sleepLockFd);
  const stdio = stdioPassingOn(['ignore', 'pipe', options.stderr ?? 'inherit'], options.sleepLockFd);
  const guard = spawn(options.guard, args, { stdio, env });

  let onCovered!: () => void;
  let onEmergency!: () => void;
  const covered = new Promise<void>((resolve) => (onCovered = resolve));
  const emergency = new Promise<void>((resolve) => (onEmergency = resolve));
  const finished = new Promise<number>((resolve) => {
    guard.once('error', () => resolve(127));
    // Killed by a signal: 128 + its number, as a shell reports it.
    guard.once('exit', (code, signal) => resolve(code ?? 128 + (signal === null ? 15 : constants.signals[signal])));
  });
  const status = createInterface({ input: guard.stdout! });
  status.on('line', (line) => {
    if (line === 'covered') onCovered();
    else if (line === 'emergency') onEmergency();
  });

  return {
    process: guard,
    covered,
    painted: covered,
    emergency,
    finished,
    stop: (signal = 'SIGTERM') => {
      if (guard.exitCode === null && guard.signalCode === null) guard.kill(signal);
    },
  };
}
