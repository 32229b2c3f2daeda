// The engine's own lockout policy (off unless configured; pam_faillock is the
// normal way): `maxFailures` failed authentications of one user within
// `windowMs` lock that user out for `lockMs`. Kept in memory, per engine (seat).
import type { LockoutPolicy } from './api';

interface UserRecord {
  /** Times of the failures still inside the window. */
  failures: number[];
  lockedUntil: number;
}

export class Lockout {
  readonly #policy: LockoutPolicy;
  readonly #users = new Map<string, UserRecord>();

  constructor(policy: LockoutPolicy) {
    this.#policy = policy;
  }

  /** When the user's lock ends, or undefined when the user is not locked out. */
  lockedUntil(user: string, now: number): number | undefined {
    const until = this.#users.get(user)?.lockedUntil ?? 0;
    return until > now ? until : undefined;
  }

  /** Counts a failure; returns the end of the lock when this failure starts one. */
  recordFailure(user: string, now: number): number | undefined {
    const record = this.#users.get(user) ?? { failures: [], lockedUntil: 0 };
    this.#users.set(user, record);
    record.failures = record.failures.filter((t) => t > now - this.#policy.windowMs);
    record.failures.push(now);
    if (record.failures.length < this.#policy.maxFailures) return undefined;
    record.failures = [];
    record.lockedUntil = now + this.#policy.lockMs;
    return record.lockedUntil;
  }

  /** A successful authentication forgets the user's failures. */
  recordSuccess(user: string): void {
    this.#users.delete(user);
  }
}
