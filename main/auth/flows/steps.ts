// The steps every flow shares: admission, pam_start, pam_authenticate,
// pam_acct_mgmt with the expired-password change, and pam_end. Each is built with
// the state that follows it in the flow at hand.
import { PamError } from '../../../native';
import type { PhaseName } from '../../protocol';
import { startObserved } from '../pam-calls';
import type { FlowRun } from './flow-run';
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
  return async (run) => (run.lockedOut(run.requestedUser) ? 'done' : next);
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
          conversation: run.broker.conversation,
        },
        services.report,
      );
      run.attach(tx);
    } catch (error) {
      if (!(error instanceof PamError)) throw error;
      run.fail(error.code, `PAM could not start: ${reasonOf(error)}`);
      return 'done';
    }
    return next;
  };
}

/**
 * pam_authenticate. A failure records the delay the modules asked for, which the
 * engine then enforces before the next attempt.
 */
export function authenticate<S extends string>(next: S, end: S): Step<S> {
  return async (run) => {
    const tx = run.transaction();
    try {
      await tx.authenticate();
    } catch (error) {
      if (!(error instanceof PamError)) throw error;
      run.authFailure = { failDelayMs: error.failDelayMs ?? tx.failDelayMs ?? 0 };
      // Only for the engine's lockout bookkeeping: a name typed at PAM's prompt is
      // not trusted (it may be a password typed in the wrong field) and is never logged.
      run.pamUser = (await tx.getItem('user')) ?? undefined;
      run.fail(error.code, reasonOf(error));
      return end;
    }
    run.authenticated = true;
    run.pamUser = (await tx.getItem('user')) ?? run.requestedUser;
    if (run.lockedOut(run.pamUser)) return end;
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

/**
 * pam_chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK): the modules ask for the current and
 * the new password themselves, and their messages (pwquality's rejections)
 * reach the UI unchanged. Where this process may not write the account database,
 * the system's passwd does it (password-change.ts).
 */
export function changePassword<S extends string>(next: S, end: S): Step<S> {
  return async (run) => {
    if (changesThroughPasswd(run)) return (await changeThroughPasswd(run)) ? next : end;
    try {
      await run.transaction().chauthtok({ changeExpiredAuthtok: true });
    } catch (error) {
      if (!(error instanceof PamError)) throw error;
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
