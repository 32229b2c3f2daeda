// The fail delay: after a failed authentication a module may ask for a pause
// (pam_fail_delay; pam_unix asks ~2 s). The addon reports it instead of sleeping,
// and the engine holds every new attempt until it has passed — across
// transactions, so that starting over is no way around it.
export class FailDelay {
  #until = 0;

  /** Starts (or lengthens) the pause: `ms` from `now`. Returns when it ends. */
  hold(ms: number, now: number): number {
    if (ms > 0) this.#until = Math.max(this.#until, now + ms);
    return this.#until;
  }

  /** When the running pause ends, or undefined when none is running. */
  activeUntil(now: number): number | undefined {
    return this.#until > now ? this.#until : undefined;
  }
}
