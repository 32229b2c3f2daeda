// What an attempt means for the next ones: a failed authentication starts the
// fail delay the modules asked for (at least `minFailDelayMs`, held across
// transactions) and counts toward the lockout; a successful one clears the
// account's failures.
//
// The lockout is kept by one of two mechanisms, chosen once per engine and
// logged (`{"event":"lockout","mechanism":...}`): pam_faillock, when the
// service's stack runs it with `preauth` (the engine then keeps no tallies of
// its own), or the engine itself, with its tallies in the shared state
// directory (lockout-store.ts).
import { event } from '../protocol';
import type { EventOf } from '../protocol';
import type { EngineOptions } from './api';
import { FailDelay } from './fail-delay';
import type { FlowRun } from './flows';
import { Lockout, type AccountLock } from './lockout';
import { lockoutKey, type UidOf } from './lockout-key';
import { FileLockoutStore, MemoryLockoutStore, type LockoutStore } from './lockout-store';
import type { Log } from './log';
import { usesFaillockPreauth } from './pam-stack';

export type LockoutMechanism = 'engine' | 'pam_faillock' | 'off';

export interface AttemptGateDeps {
  uidOf: UidOf;
  now(): number;
  log: Log;
}

/** How long a name's key is remembered (NSS answers rarely change; each lookup runs getent). */
const KEY_CACHE_MS = 60_000;
const KEY_CACHE_SIZE = 128;

export class AttemptGate {
  readonly #failDelay = new FailDelay();
  readonly #minFailDelayMs: number;
  readonly mechanism: LockoutMechanism;
  /** The engine's own lockout, when it is the mechanism. */
  readonly lock: AccountLock | undefined;

  constructor(options: EngineOptions, deps: AttemptGateDeps) {
    this.#minFailDelayMs = options.minFailDelayMs ?? 0;
    const policy = options.lockout;
    if (policy === undefined) {
      this.mechanism = 'off';
      return;
    }
    const wanted = policy.mechanism ?? 'auto';
    const faillock = wanted === 'pam_faillock' || (wanted === 'auto' && usesFaillockPreauth(options.service, options.confDir));
    if (faillock) {
      this.mechanism = 'pam_faillock';
      deps.log({ event: 'lockout', mechanism: 'pam_faillock', service: options.service });
      return;
    }
    this.mechanism = 'engine';
    const store = openStore(policy.stateDir, deps.log);
    deps.log({ event: 'lockout', mechanism: 'engine', service: options.service, state: store.location });
    this.lock = new EngineLock(new Lockout(policy, store), store, policy, deps);
  }

  /** When the running fail delay ends (no new attempt before), or undefined. */
  heldUntil(now: number): number | undefined {
    return this.#failDelay.activeUntil(now);
  }

  /** Books the finished attempt; returns the delays to announce. */
  settle(run: FlowRun, now: number): EventOf<'delay'>[] {
    const delays: EventOf<'delay'>[] = [];
    const failed = run.authFailure !== undefined || run.lockedUntil !== undefined;
    if (failed) {
      // A withheld answer (locked out) keeps nothing of what the modules asked for:
      // the right and the wrong password must look the same.
      const asked = run.lockedUntil === undefined ? (run.authFailure?.failDelayMs ?? 0) : 0;
      const ms = Math.max(asked, this.#minFailDelayMs);
      if (ms > 0) delays.push(event({ type: 'delay', until: this.#failDelay.hold(ms, now), reason: 'fail-delay' }));
    }
    const lockedUntil = run.lockedUntil ?? run.lockStartedUntil;
    if (lockedUntil !== undefined) delays.push(event({ type: 'delay', until: lockedUntil, reason: 'lockout' }));
    return delays;
  }
}

/** The state directory's store, or memory (logged) when the directory cannot be used safely. */
function openStore(stateDir: string | undefined, log: Log): LockoutStore {
  if (stateDir === undefined) return new MemoryLockoutStore();
  try {
    return new FileLockoutStore(stateDir);
  } catch (error) {
    log({ event: 'lockout-state-unavailable', dir: stateDir, problem: problemOf(error), fallback: 'memory' });
    return new MemoryLockoutStore();
  }
}

/** A store error's own message names paths and modes only; anything else is named by its code. */
function problemOf(error: unknown): string {
  if (error instanceof Error && error.name === 'LockoutStoreError') return error.message;
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.name : typeof error);
}

class EngineLock implements AccountLock {
  #lockout: Lockout;
  #store: LockoutStore;
  readonly #policy: NonNullable<EngineOptions['lockout']>;
  readonly #deps: AttemptGateDeps;
  readonly #keys = new Map<string, { key: string; at: number }>();

  constructor(lockout: Lockout, store: LockoutStore, policy: NonNullable<EngineOptions['lockout']>, deps: AttemptGateDeps) {
    this.#lockout = lockout;
    this.#store = store;
    this.#policy = policy;
    this.#deps = deps;
  }

  async lockedUntil(user: string): Promise<number | undefined> {
    const key = await this.#keyOf(user);
    return this.#guard(() => this.#lockout.lockedUntil(key, this.#deps.now()));
  }

  async recordFailure(user: string): Promise<number | undefined> {
    const key = await this.#keyOf(user);
    return this.#guard(() => {
      const now = this.#deps.now();
      const until = this.#lockout.recordFailure(key, now);
      if (this.#store.wantsCompaction()) this.#store.rewrite(Lockout.snapshot(this.#store.read(), this.#policy, now));
      return until;
    });
  }

  async recordSuccess(user: string): Promise<void> {
    const key = await this.#keyOf(user);
    this.#guard(() => this.#lockout.recordSuccess(key, this.#deps.now()));
  }

  async #keyOf(user: string): Promise<string> {
    const now = this.#deps.now();
    const cached = this.#keys.get(user);
    if (cached !== undefined && now - cached.at < KEY_CACHE_MS) return cached.key;
    const key = await lockoutKey(user, this.#deps.uidOf, this.#store.hashKey);
    if (this.#keys.size >= KEY_CACHE_SIZE) this.#keys.clear();
    this.#keys.set(user, { key, at: now });
    return key;
  }

  /**
   * A state file that fails mid-run (a full disk, a removed directory) must not
   * stop logins: the tallies go on in memory, and the log says so.
   */
  #guard<T>(use: () => T): T {
    try {
      return use();
    } catch (error) {
      if (this.#store instanceof MemoryLockoutStore) throw error;
      this.#deps.log({ event: 'lockout-state-unavailable', dir: this.#store.location, problem: problemOf(error), fallback: 'memory' });
      const memory = new MemoryLockoutStore();
      this.#store = memory;
      this.#keys.clear();
      this.#lockout = new Lockout(this.#policy, memory);
      return use();
    }
  }
}
