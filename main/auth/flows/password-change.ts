// The expired-password change when pam_chauthtok cannot do it: in a process that
// runs as the user (unlock, elevate), pam_unix may not write /etc/shadow and fails
// with PAM_AUTHTOK_ERR after asking for everything. The system's setuid passwd may:
// the change runs there (main/sources/passwd), its conversation relayed through
// this flow's broker, so the UI shows it like any PAM conversation.
import { OUTCOME_CODES } from '../../protocol';
import type { FlowRun } from './flow-run';

/** passwd may end a run before the user is done (its PAM stack's retries used up): a few more runs, then give up. */
export const PASSWD_RUNS = 3;

/**
 * Whether this flow changes an expired password through passwd rather than
 * pam_chauthtok. 'auto' needs the host to have plugged the passwd source in
 * (EngineSources); 'passwd' without it fails in changeThroughPasswd, saying so.
 */
export function changesThroughPasswd(run: FlowRun): boolean {
  switch (run.options.passwordChange ?? 'auto') {
    case 'pam':
      return false;
    case 'passwd':
      return true;
    case 'auto':
      // A confDir is a self-contained stack (demo, tests) with its own password group;
      // passwd would run the system's instead.
      return run.services.changePasswordOutOfProcess !== undefined && !run.services.runningAsRoot && run.options.confDir === undefined;
  }
}

/**
 * Runs passwd for the flow's user until it succeeds, the flow is interrupted, or
 * passwd gives up without the user having got to a new password (a wrong current
 * password, a policy that forbids the change), or after PASSWD_RUNS runs. The
 * outcome is what passwd reports. Returns whether the password was changed.
 */
export async function changeThroughPasswd(run: FlowRun): Promise<boolean> {
  const { services } = run;
  const change = services.changePasswordOutOfProcess;
  if (change === undefined) {
    run.fail(OUTCOME_CODES.internal, 'the password cannot be changed here: passwordChange is passwd, and this host has no passwd source');
    return false;
  }
  const user = run.user;
  if (user === undefined || user !== services.processUser) {
    run.fail(OUTCOME_CODES.notAllowed, 'passwd changes only the password of the user running Gatehouse');
    return false;
  }
  for (let attempt = 1; ; attempt++) {
    const result = await change({ user, conversation: run.broker.conversation, signal: run.interruptSignal });
    services.log({ event: 'passwd', attempt, ok: result.ok, status: result.status });
    if (result.ok) return true;
    if (run.interrupted) return false;
    // Past the current password (a weak or mismatched new one), passwd may simply have run out of retries.
    const gotToNewPassword = result.promptsAnswered >= 2;
    if (!gotToNewPassword || attempt >= PASSWD_RUNS) {
      run.fail('PAM_AUTHTOK_ERR', `the password was not changed: passwd ${result.status}`);
      return false;
    }
  }
}
