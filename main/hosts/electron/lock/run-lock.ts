// `gatehouse lock` in the Electron process: one watcher per user (a second
// `gatehouse lock --now` hands its request to the running one and exits), logind
// for the signals, systemd-inhibit for the sleep delay, and an unlock-mode
// GuardedShell as the lock screen.
import { userInfo } from 'node:os';
import { app } from 'electron';
import type { Log } from '../../../auth/log';
import type { ConfigSelection, LockTrigger } from '../command-line';
import { engineOptionsForSelection } from '../../../config';
import { EXIT, exitCodeForSignal } from '../exit-codes';
import type { GuardedShell } from '../guarded-shell';
import { pamShell, pamShellEngine, type ShellRuntime } from '../shells';
import { installProcessGuards } from '../app-runtime';
import { LockDaemon } from './lock-daemon';
import { LogindClient, systemBusAddress } from './logind-client';
import { SleepInhibitor } from './sleep-inhibitor';

interface SecondInstanceRequest {
  lockNow?: boolean;
}

/**
 * Claims the one-watcher-per-user lock before the app is ready. False: another
 * watcher runs and has been handed the request; this process should exit.
 */
export function claimLockInstance(trigger: LockTrigger): boolean {
  if (trigger === 'once') return true;
  const request: SecondInstanceRequest = { lockNow: trigger === 'now' };
  return app.requestSingleInstanceLock(request as Record<string, unknown>);
}

/** Runs the locker; resolves with the exit status when it has to end. */
export async function runLock(
  trigger: LockTrigger,
  config: ConfigSelection,
  runtime: ShellRuntime,
  exit: (exitCode: number) => void,
): Promise<void> {
  const log: Log = runtime.log;
  // Surface configuration problems now, not when the first lock is due.
  engineOptionsForSelection(config, 'unlock');
  const selection: ConfigSelection = { ...config, user: userInfo().username };

  let shell: GuardedShell | undefined;
  const showLock = () => {
    const current = pamShell('unlock', pamShellEngine('unlock', selection), runtime);
    shell = current;
    current.start();
    void current.finished.then(() => {
      if (shell === current) shell = undefined;
    });
    return { painted: current.painted(), finished: current.finished };
  };

  installProcessGuards({
    mayQuit: () => shell?.mayQuit() ?? true,
    onSignal: (signal) => {
      if (shell !== undefined) shell.signalled(signal);
      else exit(exitCodeForSignal(signal));
    },
  });

  if (trigger === 'once') {
    const screen = showLock();
    exit(await screen.finished);
    return;
  }

  const busAddress = systemBusAddress();
  let logind: LogindClient | undefined;
  try {
    logind = await LogindClient.connect(busAddress, {
      ...(process.env.XDG_SESSION_ID === undefined ? {} : { sessionId: process.env.XDG_SESSION_ID }),
      pid: process.pid,
      uid: process.getuid?.() ?? -1,
    });
    logind.on('error', (error) => log({ event: 'logind-error', error: error.message }));
    log({ event: 'watching', session: logind.sessionPath });
  } catch (error) {
    log({ event: 'logind-unavailable', error: (error as Error).message });
    if (trigger === 'watch') {
      process.stderr.write(`gatehouse lock: ${(error as Error).message}\n`);
      exit(EXIT.failure);
      return;
    }
    // --now without logind: lock this once, like --once.
    const screen = showLock();
    exit(await screen.finished);
    return;
  }

  const daemon: LockDaemon = new LockDaemon({
    showLock,
    signals: logind,
    inhibitor: new SleepInhibitor({
      busAddress,
      who: 'Gatehouse',
      why: 'Locking the screen before the system sleeps',
      onLost: (reason) => daemon.inhibitorLost(reason),
    }),
    onFatal: exit,
    log,
  });
  app.on('second-instance', (_event, _argv, _cwd, data) => {
    if ((data as SecondInstanceRequest | undefined)?.lockNow === true) daemon.lock('command');
  });
  daemon.start();
  if (trigger === 'now') daemon.lock('command');
}
