// How often a window whose renderer crashed or hung is recreated before the shell
// gives up (and shows the emergency screen, or denies and exits). A renderer that
// keeps dying must not turn into a restart loop that flashes the desktop.
export interface RestartPolicyOptions {
  /** Restarts allowed within `windowMs`; the next failure gives up. */
  maxRestarts: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = { maxRestarts: 3, windowMs: 60_000 };

export type RestartDecision = 'restart' | 'give-up';

export class RestartPolicy {
  readonly #options: RestartPolicyOptions;
  readonly #now: () => number;
  /** When the recent restarts happened (ms), oldest first. */
  #restarts: number[] = [];
  #gaveUp = false;

  constructor(options: RestartPolicyOptions = DEFAULT_RESTART_POLICY, now: () => number = Date.now) {
    if (!Number.isInteger(options.maxRestarts) || options.maxRestarts < 0) {
      throw new RangeError('maxRestarts must be a non-negative integer');
    }
    if (!(options.windowMs > 0)) throw new RangeError('windowMs must be positive');
    this.#options = { ...options };
    this.#now = now;
  }

  /** Records one failure and says what to do about it. Once given up, always gives up. */
  onFailure(): RestartDecision {
    if (this.#gaveUp) return 'give-up';
    const now = this.#now();
    this.#restarts = this.#restarts.filter((t) => now - t < this.#options.windowMs);
    if (this.#restarts.length >= this.#options.maxRestarts) {
      this.#gaveUp = true;
      return 'give-up';
    }
    this.#restarts.push(now);
    return 'restart';
  }

  get gaveUp(): boolean {
    return this.#gaveUp;
  }
}
