// What one attempt means for the next ones: a failed authentication starts the
// fail delay the modules asked for (held across transactions) and counts toward
// the engine's own lockout; a successful one clears the user's failures.
import { event } from '../protocol';
import type { EventOf } from '../protocol';
import type { LockoutPolicy } from './api';
import { FailDelay } from './fail-delay';
import type { FlowRun } from './flows';
import { Lockout } from './lockout';

export class AttemptGate {
  readonly #failDelay = new FailDelay();
  /** The engine's own lockout, when configured. */
  readonly lockout: Lockout | undefined;

  constructor(policy: LockoutPolicy | undefined) {
    this.lockout = policy === undefined ? undefined : new Lockout(policy);
  }

  /** When the running fail delay ends (no new attempt before), or undefined. */
  heldUntil(now: number): number | undefined {
    return this.#failDelay.activeUntil(now);
  }

  /** Books the finished attempt; returns the delays to announce. */
  settle(run: FlowRun, ok: boolean, now: number): EventOf<'delay'>[] {
    const delays: EventOf<'delay'>[] = [];
    // The lockout counts under PAM_USER (whatever was typed at PAM's prompt); it is never logged.
    const user = run.pamUser ?? run.requestedUser;
    if (run.authFailure !== undefined) {
      if (run.authFailure.failDelayMs > 0) {
        const until = this.#failDelay.hold(run.authFailure.failDelayMs, now);
        delays.push(event({ type: 'delay', until, reason: 'fail-delay' }));
      }
      const lockedUntil = user === undefined ? undefined : this.lockout?.recordFailure(user, now);
      if (lockedUntil !== undefined) delays.push(event({ type: 'delay', until: lockedUntil, reason: 'lockout' }));
    } else if (run.authenticated && ok && user !== undefined) {
      this.lockout?.recordSuccess(user);
    }
    // Turned away by the lockout: say until when.
    if (run.lockedUntil !== undefined) delays.push(event({ type: 'delay', until: run.lockedUntil, reason: 'lockout' }));
    return delays;
  }
}
