// What an uncaught exception or an unhandled rejection does to the app: never an
// unlock, whatever the process was doing. Pure, decided by the role the process
// plays; main.ts installs the handlers and carries it out.
import { EXIT } from '../../exit-codes';

export type ProcessRole =
  /** The lock screen UI under gatehouse-guard: the guard holds the screen and restarts the UI. */
  | 'guarded-ui'
  /** A shell with nobody above it: unlock without a guard (Wayland, no guard installed), login. */
  | 'unguarded-shell'
  /** elevate and askpass: a failure is a "no". */
  | 'prompt'
  /** Waits on a guard (`gatehouse lock`, `gatehouse --mode unlock` on X11): the guard holds the screen. */
  | 'guard-parent'
  /** Before the process knows what it runs. */
  | 'starting';

export type FaultResponse =
  /** End the process with this status. */
  | { action: 'exit'; exitCode: number }
  /** Give up on the shell: its emergency screen (unlock, login), which never unlocks. */
  | { action: 'give-up' }
  /** Log it and go on: ending here would take the guard (and the lock) with us. */
  | { action: 'continue' };

export function faultResponse(role: ProcessRole): FaultResponse {
  switch (role) {
    case 'guarded-ui':
      // The guard sees the UI end without an unlock: the screen stays covered, a fresh UI starts.
      return { action: 'exit', exitCode: EXIT.fault };
    case 'unguarded-shell':
      return { action: 'give-up' };
    case 'prompt':
      return { action: 'exit', exitCode: EXIT.denied };
    case 'guard-parent':
      return { action: 'continue' };
    case 'starting':
      return { action: 'exit', exitCode: EXIT.fault };
  }
}

/** What may be logged of a fault: its kind and message, never anything it carries beyond that. */
export function describeFault(kind: 'uncaughtException' | 'unhandledRejection', reason: unknown): Record<string, unknown> {
  const message = reason instanceof Error ? `${reason.name}: ${reason.message}` : typeof reason;
  return { event: 'process-fault', kind, error: message.slice(0, 500) };
}
