// `gatehouse lock` in the Electron process: one watcher per user (a second
// `gatehouse lock --now` hands its request to the running one and exits), logind
// for the signals, systemd-inhibit for the sleep delay, and gatehouse-guard with
// the unlock UI as its child for each lock screen. This process shows no window
// and runs no PAM: the guard holds the screen, the UI child authenticates.
import { closeSync } from 'node:fs';
import { app } from 'electron';
import type { Log } from '../../auth/log';
import { engineOptionsForSelection } from '../../config';
import { installProcessGuards } from './app-runtime';
import type { ConfigSelection, LockTrigger } from '../../launch/command-line';
import { EXIT } from '../../exit-codes';
import { startGuardedLock, type GuardedLock } from './guard/guarded-lock';
import { sleepLockFdOf } from '../../lock/lock-support';
import { LockDaemon } from '../../lock/lock-daemon';
import { LogindClient, systemBusAddress } from '../../lock/logind-client';
import { SleepInhibitor } from '../../lock/sleep-inhibitor';

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

export interface LockRuntime {
  /** The gatehouse-guard binary. */
  guard: string;
  /** The unlock UI's command line (this app in unlock mode). */
  child: readonly string[];
  log: Log;
}

/** What the emergency cover tells the user to run from a text console. */
function recoveryAdvice(trigger: LockTrigger, env: NodeJS.ProcessEnv = process.env): string {
  // systemd sets INVOCATION_ID for the processes of a unit.
  if (trigger !== 'once' && (env.INVOCATION_ID ?? '') !== '') return 'systemctl --user stop gatehouse-lock.service';
  return `kill ${process.pid}`;
}

/** Runs the locker; calls `exit` with the status when it has to end. */
export async function runLock(trigger: LockTrigger, config: ConfigSelection, runtime: LockRuntime, exit: (exitCode: number) => void): Promise<void> {
  const log: Log = runtime.log;
  // Surface configuration problems now, not in the UI child when the first lock is due.
  engineOptionsForSelection(config, 'unlock');

  // xss-lock's sleep lock (--transfer-sleep-lock) goes to the first guard, which
  // closes it once the screen is covered; this process lets go of its copy.
  let sleepLockFd = sleepLockFdOf(process.env);
  const recovery = recoveryAdvice(trigger);
  const showLock = (): GuardedLock => {
    const lock = startGuardedLock({
      guard: runtime.guard,
      child: runtime.child,
      recovery,
      ...(sleepLockFd === undefined ? {} : { sleepLockFd }),
    });
    if (sleepLockFd !== undefined) {
      closeSync(sleepLockFd);
      sleepLockFd = undefined;
    }
    log({ event: 'guard-started', pid: lock.process.pid });
    return lock;
  };

  const startDaemon = (logind: LogindClient | undefined, onUnlocked?: () => void): LockDaemon => {
    const busAddress = systemBusAddress();
    const daemon: LockDaemon = new LockDaemon({
      showLock,
      ...(logind === undefined
        ? {}
        : {
            signals: logind,
            inhibitor: new SleepInhibitor({
              busAddress,
              who: 'Gatehouse',
              why: 'Locking the screen before the system sleeps',
              onLost: (reason) => daemon.inhibitorLost(reason),
            }),
          }),
      onFatal: exit,
      ...(onUnlocked === undefined ? {} : { onUnlocked }),
      log,
    });
    installProcessGuards({
      // Quitting would take the guard (and the lock) with it.
      mayQuit: () => !daemon.locked,
      onSignal: (signal) => daemon.stop(signal),
    });
    daemon.start();
    return daemon;
  };

  if (trigger === 'once') {
    startDaemon(undefined, () => exit(EXIT.ok)).lock('command');
    return;
  }

  let logind: LogindClient;
  try {
    logind = await LogindClient.connect(systemBusAddress(), {
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
    startDaemon(undefined, () => exit(EXIT.ok)).lock('command');
    return;
  }

  const daemon = startDaemon(logind);
  app.on('second-instance', (_event, _argv, _cwd, data) => {
    if ((data as SecondInstanceRequest | undefined)?.lockNow === true) daemon.lock('command');
  });
  if (trigger === 'now') daemon.lock('command');
}
