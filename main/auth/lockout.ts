// The engine's own lockout: `maxFailures` failed authentications of one account
// within `windowMs` lock it for `lockMs`. Accounts are keyed canonically
// (lockout-key.ts: the uid, or a keyed hash of a name NSS does not know), and the
// tallies live in a store (lockout-store.ts) that every engine of the machine
// shares: a restart, or each `gatehouse check` process, does not start afresh.
//
// The store holds events, not counters: the state is replayed from them on every
// question, so that what another process appended meanwhile counts too.
import type { LockoutPolicy } from './api';
import type { LockoutRecord, LockoutStore } from './lockout-store';

/** What the flows ask of the engine's lockout, by user name (attempt-gate.ts keys it canonically). */
export interface AccountLock {
  /** When the account's lock ends, or undefined when it is not locked. */
  lockedUntil(user: string): Promise<number | undefined>;
  /** Counts a failed authentication; the end of the lock this failure starts, if any. */
  recordFailure(user: string): Promise<number | undefined>;
  /** A successful authentication forgets the account's failures. */
  recordSuccess(user: string): Promise<void>;
}

interface AccountState {
  /** Times of the failures still inside the window (since the last lock or success). */
  failures: number[];
  lockedUntil: number;
}

export class Lockout {
  readonly #policy: LockoutPolicy;
  readonly #store: LockoutStore;

  constructor(policy: LockoutPolicy, store: LockoutStore) {
    this.#policy = policy;
    this.#store = store;
  }

  /** When the account's lock ends, or undefined when it is not locked out. */
  lockedUntil(key: string, now: number): number | undefined {
    const until = this.#state(key).lockedUntil;
    return until > now ? until : undefined;
  }

  /** Counts a failure; returns the end of the lock when this failure starts one. */
  recordFailure(key: string, now: number): number | undefined {
    this.#store.append({ key, event: 'failure', time: now });
    const until = this.#state(key).lockedUntil;
    return until > now ? until : undefined;
  }

  /** A successful authentication forgets the account's failures. */
  recordSuccess(key: string, now: number): void {
    this.#store.append({ key, event: 'success', time: now });
  }

  /**
   * What the store's records add up to for every account still of interest at
   * `now`: the records a compacted store keeps.
   */
  static snapshot(records: LockoutRecord[], policy: LockoutPolicy, now: number): LockoutRecord[] {
    const kept: LockoutRecord[] = [];
    for (const [key, state] of replay(records, policy)) {
      if (state.lockedUntil > now) kept.push({ key, event: 'locked', time: state.lockedUntil - policy.lockMs, until: state.lockedUntil });
      for (const time of state.failures) {
        if (time > now - policy.windowMs) kept.push({ key, event: 'failure', time });
      }
    }
    return kept;
  }

  #state(key: string): AccountState {
    const records = this.#store.read().filter((r) => r.key === key);
    return replay(records, this.#policy).get(key) ?? { failures: [], lockedUntil: 0 };
  }
}

/** Replays records in time order (writers in several processes may interleave). */
function replay(records: LockoutRecord[], policy: LockoutPolicy): Map<string, AccountState> {
  const accounts = new Map<string, AccountState>();
  const ordered = [...records].sort((a, b) => a.time - b.time);
  for (const record of ordered) {
    const state = accounts.get(record.key) ?? { failures: [], lockedUntil: 0 };
    accounts.set(record.key, state);
    switch (record.event) {
      case 'failure':
        // A failure recorded while locked (a racing process) does not extend the lock.
        if (record.time < state.lockedUntil) break;
        state.failures = state.failures.filter((t) => t > record.time - policy.windowMs);
        state.failures.push(record.time);
        if (state.failures.length >= policy.maxFailures) {
          state.failures = [];
          state.lockedUntil = record.time + policy.lockMs;
        }
        break;
      case 'success':
        state.failures = [];
        state.lockedUntil = 0;
        break;
      case 'locked':
        state.failures = [];
        state.lockedUntil = Math.max(state.lockedUntil, record.until ?? 0);
        break;
    }
  }
  return accounts;
}
