// `gatehouse lock`: logind's signals and lock requests in, lock screens and the
// sleep inhibitor out, as lock-coordinator.ts decides. The lock screen itself is
// whatever `showLock` starts (in the app: gatehouse-guard with the unlock UI as
// its child, guard/guarded-lock.ts).
//
// A lock screen that ends without an unlock (the guard was killed or crashed) is
// put up again at once, a few times a minute; then the daemon gives up and ends
// (and systemd, restarting it, locks again from logind's LockedHint).
import type { Log } from '../auth/log';
import { exitCodeForSignal } from '../exit-codes';
import { RestartPolicy, type RestartPolicyOptions } from './restart-policy';
import { LockCoordinator, type LockAction, type LockReason } from './lock-coordinator';

/** One lock screen while it is up. */
export interface LockScreen {
  /** Resolves when every window of the lock screen has painted. */
  painted: Promise<void>;
  /** Resolves with the exit status when the lock screen ends: 0 after a successful unlock. */
  finished: Promise<number>;
  /** Ends the lock screen (the daemon is being stopped). */
  stop?(signal: NodeJS.Signals): void;
}

/** What the daemon needs from logind (LogindClient, or nothing without logind). */
export interface LockSignals {
  on(event: 'lock', listener: () => void): unknown;
  on(event: 'prepare-for-sleep', listener: (sleeping: boolean) => void): unknown;
  setLockedHint(locked: boolean): Promise<void>;
  /** The session's LockedHint as logind holds it now (true at start: a locker died while locked). */
  lockedHint?(): Promise<boolean>;
}

/** What the daemon needs from the inhibitor (SleepInhibitor). */
export interface Inhibitor {
  take(): void;
  release(): void;
}

export interface LockDaemonOptions {
  showLock(): LockScreen;
  signals?: LockSignals;
  inhibitor?: Inhibitor;
  /** The daemon must end with this status: stopped by a signal, or lock screens kept dying. */
  onFatal(exitCode: number): void;
  /** A lock screen ended with a successful unlock. */
  onUnlocked?(): void;
  /** How often a lock screen that died is put up again before the daemon gives up (default 3 a minute). */
  relock?: RestartPolicyOptions;
  log: Log;
  /** How long to wait before taking a lost inhibitor again (doubling with each loss in a row, up to 10 minutes). */
  inhibitorRetryMs?: number;
}

export class LockDaemon {
  readonly #options: LockDaemonOptions;
  readonly #coordinator = new LockCoordinator();
  readonly #relocks: RestartPolicy;
  #screen: LockScreen | undefined;
  /** Inhibitors lost in a row (since one was last held until we released it). */
  #inhibitorLosses = 0;
  #stopping = false;

  constructor(options: LockDaemonOptions) {
    this.#options = options;
    this.#relocks = new RestartPolicy(options.relock);
  }

  get locked(): boolean {
    return this.#coordinator.locked;
  }

  /** The lock screen up now, if any. */
  get screen(): LockScreen | undefined {
    return this.#screen;
  }

  start(): void {
    const { signals } = this.#options;
    signals?.on('lock', () => this.lock('logind'));
    signals?.on('prepare-for-sleep', (sleeping) => {
      this.#options.log({ event: 'prepare-for-sleep', sleeping });
      this.#apply(this.#coordinator.prepareForSleep(sleeping));
    });
    this.#apply(this.#coordinator.started());
    // LockedHint true before we locked anything: the locker before us died with the
    // screen locked (a crash, an OOM kill) and systemd restarted us. Lock again.
    signals?.lockedHint?.().then(
      (locked) => {
        if (locked) this.lock('restart');
      },
      (error: unknown) => this.#options.log({ event: 'locked-hint-unreadable', error: (error as Error).message }),
    );
  }

  /**
   * A termination signal: end the lock screen and then the daemon. logind's
   * LockedHint is cleared first: stopping the locker on purpose (systemctl --user
   * stop, the emergency cover's advice) must not lock again at the next start.
   */
  stop(signal: NodeJS.Signals): void {
    if (this.#stopping) return;
    this.#stopping = true;
    const exitCode = exitCodeForSignal(signal);
    const screen = this.#screen;
    const hintCleared = this.#coordinator.locked ? this.#clearLockedHint() : Promise.resolve();
    const ended = screen === undefined ? Promise.resolve() : screen.finished.then(() => undefined);
    screen?.stop?.(signal);
    void Promise.all([ended, hintCleared]).then(() => this.#options.onFatal(exitCode));
  }

  lock(reason: LockReason): void {
    this.#options.log({ event: 'lock-requested', reason });
    this.#apply(this.#coordinator.lockRequested(reason));
  }

  /** The inhibitor's holder went away by itself: take a new one after a pause. */
  inhibitorLost(reason: string): void {
    this.#inhibitorLosses++;
    const delayMs = Math.min((this.#options.inhibitorRetryMs ?? 10_000) * 2 ** (this.#inhibitorLosses - 1), 600_000);
    this.#options.log({ event: 'inhibitor-lost', reason, retryInMs: delayMs });
    const retry = setTimeout(() => this.#apply(this.#coordinator.inhibitorLost()), delayMs);
    retry.unref();
  }

  #apply(actions: readonly LockAction[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'show-lock':
          this.#show();
          break;
        case 'take-inhibitor':
          this.#options.inhibitor?.take();
          break;
        case 'release-inhibitor':
          this.#inhibitorLosses = 0;
          this.#options.inhibitor?.release();
          break;
        case 'set-locked-hint':
          this.#options.signals?.setLockedHint(action.locked).catch((error: unknown) => {
            this.#options.log({ event: 'locked-hint-failed', error: (error as Error).message });
          });
          break;
      }
    }
  }

  #show(): void {
    const screen = this.#options.showLock();
    this.#screen = screen;
    void screen.painted.then(() => {
      if (this.#screen === screen) this.#apply(this.#coordinator.lockPainted());
    });
    void screen.finished.then((exitCode) => {
      if (this.#screen === screen) this.#screen = undefined;
      if (this.#stopping) return;
      if (exitCode === 0) {
        this.#options.log({ event: 'unlocked' });
        this.#apply(this.#coordinator.unlocked());
        this.#options.onUnlocked?.();
        return;
      }
      this.#options.log({ event: 'lock-lost', exitCode });
      if (this.#relocks.onFailure() === 'restart') this.#show();
      else this.#options.onFatal(exitCode);
    });
  }

  #clearLockedHint(): Promise<void> {
    const signals = this.#options.signals;
    if (signals === undefined) return Promise.resolve();
    const cleared = signals.setLockedHint(false).catch((error: unknown) => {
      this.#options.log({ event: 'locked-hint-failed', error: (error as Error).message });
    });
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
    return Promise.race([cleared, deadline]);
  }
}
