// When `gatehouse lock` locks, and when it holds logind's sleep delay inhibitor.
// Pure: the daemon (lock-daemon.ts) feeds it logind's signals and the lock
// screen's progress, and carries out the actions.
//
// The inhibitor exists so that the machine never goes to sleep showing the
// desktop: it is held whenever the lock screen is not up and painted, so that
// when logind announces sleep (PrepareForSleep true) the lock screen can be
// shown and painted first; then it is released and logind proceeds. After the
// resume (PrepareForSleep false) and after an unlock it is taken again.
//
// logind's Unlock signal is ignored: only a successful unlock flow unlocks.
export type LockAction =
  | { type: 'show-lock' }
  | { type: 'take-inhibitor' }
  | { type: 'release-inhibitor' }
  /** logind's LockedHint for the session (shown by desktops, used by screen savers). */
  | { type: 'set-locked-hint'; locked: boolean };

/** restart: logind's LockedHint was set when the daemon started (the locker before it died while locked). */
export type LockReason = 'logind' | 'sleep' | 'command' | 'restart';

export class LockCoordinator {
  #locked = false;
  #painted = false;
  #sleeping = false;
  #inhibitorHeld = false;

  get locked(): boolean {
    return this.#locked;
  }

  get inhibitorHeld(): boolean {
    return this.#inhibitorHeld;
  }

  /** The daemon starts watching: take the inhibitor. */
  started(): LockAction[] {
    return this.#settleInhibitor();
  }

  /** logind's Lock signal, or a lock requested on the command line. */
  lockRequested(_reason: LockReason): LockAction[] {
    if (this.#locked) return [];
    this.#locked = true;
    this.#painted = false;
    return [{ type: 'show-lock' }, ...this.#settleInhibitor()];
  }

  /** logind's PrepareForSleep: true before sleeping, false after the resume. */
  prepareForSleep(sleeping: boolean): LockAction[] {
    this.#sleeping = sleeping;
    if (sleeping) return this.lockRequested('sleep');
    return this.#settleInhibitor();
  }

  /** Every window of the lock screen has painted. */
  lockPainted(): LockAction[] {
    if (!this.#locked || this.#painted) return [];
    this.#painted = true;
    return [{ type: 'set-locked-hint', locked: true }, ...this.#settleInhibitor()];
  }

  /** The lock screen ended after a successful unlock. */
  unlocked(): LockAction[] {
    if (!this.#locked) return [];
    const wasPainted = this.#painted;
    this.#locked = false;
    this.#painted = false;
    const actions: LockAction[] = wasPainted ? [{ type: 'set-locked-hint', locked: false }] : [];
    return [...actions, ...this.#settleInhibitor()];
  }

  /** The inhibitor went away by itself (its holder died): note it and take a new one when wanted. */
  inhibitorLost(): LockAction[] {
    this.#inhibitorHeld = false;
    return this.#settleInhibitor();
  }

  #settleInhibitor(): LockAction[] {
    const lockIsUp = this.#locked && this.#painted;
    // While logind prepares for sleep, a new delay inhibitor would come too late:
    // keep the one held (until the lock screen is up), take none.
    const wanted = !lockIsUp && (!this.#sleeping || this.#inhibitorHeld);
    if (wanted === this.#inhibitorHeld) return [];
    this.#inhibitorHeld = wanted;
    return [{ type: wanted ? 'take-inhibitor' : 'release-inhibitor' }];
  }
}
