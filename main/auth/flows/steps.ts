// The steps every flow shares: admission, pam_start, pam_authenticate,
// pam_acct_mgmt with the expired-password change, and pam_end. Each is built with
// the state that follows it in the flow at hand.
import { PamError } from '../../../native';
import type { PhaseName } from '../../protocol';
import { startObserved } from '../pam-calls';
import { USER_PROMPT, type FlowRun } from './flow-run';
import type { Next, Step } from './machine';
import { changesThroughPasswd, changeThroughPasswd } from './password-change';

/** How long pam_end may take after an abort before the seat is freed anyway (a module may hang). */
export const END_GRACE_MS = 2_000;

/** The outcome's reason for a PAM failure: pam_strerror's text. */
function reasonOf(error: PamError): string {
  return error.message.length > 0 ? error.message : error.code;
}

/** Turns the flow away before any PAM call when the engine's lockout holds its user. */
export function admit<S extends string>(next: S): Step<S> {
  return async (run) => ((await run.lockedOut(run.requestedUser)) ? 'done' : next);
}

/** pam_start with the broker as the conversation. */
export function start<S extends string>(next: S): Step<S> {
  return async (run) => {
    const { services } = run;
    try {
      const tx = await startObserved(
        services.startTransaction,
        {
          service: run.options.service,
          ...(run.requestedUser === undefined ? {} : { user: run.requestedUser }),
          ...(run.options.confDir === undefined ? {} : { confDir: run.options.confDir }),
          ...(run.locale === undefined ? {} : { locale: run.locale }),
          conversation: run.broker.conversation,
        },
        services.report,
        services.unreportedCalls,
      );
      run.attach(tx);
    } catch (error) {
      if (!(error instanceof PamError)) throw error;
      run.fail(error.code, `PAM could not start: ${reasonOf(error)}`);
      return 'done';
    }
    if (run.requestedUser === undefined) await pinUserPrompt(run);
    return next;
  };
}

/**
 * Nobody is named: PAM will ask. Its prompt text is pinned, so that the
 * lockout knows which answer is the name (flow-run.ts). A source whose
 * transactions cannot set it simply goes without that early check.
 */
async function pinUserPrompt(run: FlowRun): Promise<void> {
  try {
    await run.transaction().setItem('user_prompt', USER_PROMPT);
    run.userPromptSet = true;
  } catch (error) {
    if (!(error instanceof PamError) && !(error instanceof TypeError)) throw error;
  }
}

/**
 * pam_authenticate. A failure records the delay the modules asked for, which the
 * engine then enforces before the next attempt, and counts toward the lockout.
 *
 * When the account turns out to be locked (PAM asked for the name itself, so
 * the lockout could not look earlier), PAM's answer is withheld, its result
 * not even reported: the right and the wrong password get the same LOCKED_OUT.
 */
export function authenticate<S extends string>(next: S, end: S): Step<S> {
  return async (run) => {
    const tx = run.transaction();
    const attempt = await tx.authenticateHeld();
    const { error } = attempt;
    if (error !== undefined && !(error instanceof PamError)) throw error;
    // A name typed at PAM's prompt is not trusted (it may be a password typed in
    // the wrong field): it serves the lockout and is never logged unless it authenticated.
    const pamUser = (await tx.getItem('user')) ?? undefined;
    const user = pamUser ?? run.requestedUser;
    if (await run.lockedOut(user)) return end;
    attempt.release();
    const lockout = run.services.lockout;
    if (error !== undefined) {
      run.authFailure = { failDelayMs: error.failDelayMs ?? tx.failDelayMs ?? 0 };
      run.pamUser = pamUser;
      if (user !== undefined && lockout !== undefined) run.lockStartedUntil = await lockout.recordFailure(user);
      run.fail(error.code, reasonOf(error));
      return end;
    }
    run.authenticated = true;
    run.pamUser = pamUser ?? run.requestedUser;
    if (user !== undefined) await lockout?.recordSuccess(user);
    return next;
  };
}

/** pam_acct_mgmt; PAM_NEW_AUTHTOK_REQD leads to the password change. */
export function account<S extends string>(next: S, changePassword: S, end: S): Step<S> {
  return async (run) => {
    try {
      await run.transaction().acctMgmt();
    } catch (error) {
      if (!(error instanceof PamError)) throw error;
      if (error.code === 'PAM_NEW_AUTHTOK_REQD') return changePassword;
      run.fail(error.code, reasonOf(error));
      return end;
    }
    return next;
  };
}

/** How many times one flow calls pam_chauthtok before it gives up on the change. */
export const PASSWORD_CHANGE_CALLS = 3;

/**
 * What a failed pam_chauthtok may be asked again for, in the same transaction:
 * the new password was refused or mistyped, or the current one was wrong.
 * - PAM_TRY_AGAIN: libpam's pam_get_authtok when the two new passwords differ
 *   (pam_unix returns it at once: its own retry loop covers only rejections);
 * - PAM_AUTHTOK_ERR: a module refused the new password (pam_unix, pwquality with
 *   use_authtok), or the person gave no answer;
 * - PAM_AUTHTOK_RECOVERY_ERR, PAM_AUTH_ERR: the current password was wrong;
 * - PAM_AUTHINFO_UNAVAIL: what pam_matrix answers when the two new passwords differ.
 * PAM_MAXTRIES is not among them: the stack's own `retry=` is used up, which is
 * the administrator's word. Neither are aborts, timeouts and system errors.
 */
const ASK_AGAIN = new Set(['PAM_TRY_AGAIN', 'PAM_AUTHTOK_ERR', 'PAM_AUTHTOK_RECOVERY_ERR', 'PAM_AUTH_ERR', 'PAM_AUTHINFO_UNAVAIL']);

/**
 * pam_chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK): the modules ask for the current and
 * the new password themselves, and their messages (a mismatch, pwquality's
 * rejections) reach the UI unchanged. A mistyped or refused new password is
 * asked for again in the same transaction (the person stays in the change step,
 * already authenticated), up to PASSWORD_CHANGE_CALLS calls; the phase is
 * announced again so the UI can say that the change is being tried again.
 * Where this process may not write the account database, the system's passwd
 * does it (password-change.ts).
 */
export function changePassword<S extends string>(next: S, end: S): Step<S> {
  return async (run) => {
    if (changesThroughPasswd(run)) return (await changeThroughPasswd(run)) ? next : end;
    const self = 'change-password' as S;
    try {
      run.passwordChanges += 1;
      await run.transaction().chauthtok({ changeExpiredAuthtok: true });
    } catch (error) {
      if (!(error instanceof PamError)) throw error;
      if (ASK_AGAIN.has(error.code) && run.passwordChanges < PASSWORD_CHANGE_CALLS && !run.interrupted) {
        run.services.log({ event: 'password-change-retry', mode: run.options.mode, code: error.code, call: run.passwordChanges });
        // A module that asked for a pause after the failure gets it, as libpam itself would sleep.
        const pause = error.failDelayMs ?? 0;
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(pause, 10_000)));
        return self;
      }
      run.fail(error.code, `the password was not changed: ${reasonOf(error)}`);
      return end;
    }
    return next;
  };
}

/** pam_end. After an abort a hung module may keep its thread: wait only so long. */
export function end<S extends string>(after: (run: FlowRun) => Next<S> = () => 'done'): Step<S> {
  return async (run) => {
    const tx = run.tx;
    run.tx = undefined;
    if (tx !== undefined) {
      const ending = tx.end().catch(() => undefined); // reported to the observer; nothing left to undo
      if (run.interrupted) {
        let timer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, END_GRACE_MS)));
        await Promise.race([ending, graceOver]);
        clearTimeout(timer);
      } else {
        await ending;
      }
    }
    return after(run);
  };
}

/** The phase while PAM authenticates: 'identify' when PAM itself asks who is there. */
export function authenticationPhase(run: FlowRun): PhaseName {
  return run.requestedUser === undefined ? 'identify' : 'authenticate';
}

/** The phase the steps every flow shares announce (start, account, change-password). */
export function sharedPhaseOf(state: string, run: FlowRun): PhaseName | undefined {
  switch (state) {
    case 'start':
      return authenticationPhase(run);
    case 'account':
      return 'account';
    case 'change-password':
      return 'change-password';
    default:
      return undefined;
  }
}

/** Where a flow that holds no more than its transaction goes after a failure. */
export function endIfStarted(run: FlowRun): 'end' | 'done' {
  return run.tx === undefined ? 'done' : 'end';
}
