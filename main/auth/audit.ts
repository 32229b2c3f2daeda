// The audit line: one per attempt (every flow the engine ran or turned away at
// its start), with who, what and how it ended: the code and the reason as PAM
// (pam_strerror) or the engine said it, which the screens put in plain words.
// Never an answer, never prompt text.
import type { FlowOutcome } from './api';
import type { Log } from './log';

export function auditAttempt(log: Log, service: string, outcome: FlowOutcome): void {
  log({
    event: 'attempt',
    mode: outcome.mode,
    service,
    user: outcome.user ?? null,
    ok: outcome.ok,
    code: outcome.code,
    reason: outcome.reason,
    durationMs: outcome.durationMs,
    ...(outcome.exitStatus === undefined ? {} : { exitStatus: outcome.exitStatus }),
  });
}
