// `gatehouse lock`: logind's signals and lock requests in, lock screens and the
// sleep inhibitor out, as lock-coordinator.ts decides. The lock screen itself is
// whatever `showLock` starts (in the app: a GuardedShell in unlock mode).
import type { Log } from '../../../auth/log';
import { LockCoordinator, type LockAction, type LockReason } from './lock-coordinator';

/** One lock screen while it is up. */
export interface LockScreen {
  /** Resolves when every window of the lock screen has painted. */
  painted: Promise<void>;
  /** Resolves with the exit status when the lock screen ends: 0 after a successful unlock. */
  finished: Promise<number>;
}

/** What the daemon needs from logind (LogindClient, or nothing without logind). */
export interface LockSignals {
  on(event: 'lock', listener: () => void): unknown;
  on(event: 'prepare-for-sleep', listener: (sleeping: boolean) => void): unknown;
  setLockedHint(locked: boolean): Promise<void>;
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
  /** A lock screen ended other than by an unlock (a signal): the daemon must end with this status. */
  onFatal(exitCode: number): void;
  log: Log;
  /** How long to wait before taking a lost inhibitor again (doubling with each loss in a row, up to 10 minutes). */
  inhibitorRetryMs?: number;
}

export class LockDaemon {
  readonly #options: LockDaemonOptions;
  readonly #coordinator = new LockCoordinator();
  #screen: LockScreen | undefined;
  /** Inhibitors lost in a row (since one was last held until we released it). */
  #inhibitorLosses = 0;

  constructor(options: LockDaemonOptions) {
    this.#options = options;
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
      if (exitCode !== 0) {
        this.#options.onFatal(exitCode);
        return;
      }
      this.#options.log({ event: 'unlocked' });
      this.#apply(this.#coordinator.unlocked());
    });
  }
}
