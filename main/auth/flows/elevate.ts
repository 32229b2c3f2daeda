// elevate (privilege prompt):
//
//   admit → start → authenticate → account → [change-password] → authorize → end → [run-approved]
//
// Who confirms: the identities the caller allows (polkit's), one of them chosen
// in the UI when there are several; else, when the engine runs as root with an
// admin group configured, a member of that group (chosen in the UI); otherwise
// the requesting user. The
// approved command, if any, runs after pam_end, with the engine's own rights.
import { OUTCOME_CODES } from '../../protocol';
import type { ElevateSettings } from '../api';
import type { FlowRun } from './flow-run';
import type { FlowDefinition } from './machine';
import { account, authenticate, changePassword, end, endIfStarted, sharedPhaseOf, start } from './steps';

type ElevateState =
  | 'admit'
  | 'start'
  | 'authenticate'
  | 'account'
  | 'change-password'
  | 'authorize'
  | 'end'
  | 'run-approved';

/** The admin group whose members confirm, when that is how this engine works. */
function adminGroupOf(run: FlowRun): string | undefined {
  return run.services.runningAsRoot ? run.options.elevate?.adminGroup : undefined;
}

function settings(run: FlowRun): ElevateSettings | undefined {
  return run.options.elevate;
}

/** Whether `user` may confirm this elevation. */
async function mayConfirm(run: FlowRun, user: string | undefined): Promise<boolean> {
  if (user === undefined) return false;
  const confirmers = settings(run)?.confirmers;
  if (confirmers !== undefined) return confirmers.includes(user);
  const group = adminGroupOf(run);
  if (group === undefined) return user === run.requestedUser;
  return run.services.accounts.isMember(user, group);
}

export const elevateFlow: FlowDefinition<ElevateState> = {
  initial: 'admit',
  recover: endIfStarted,
  phaseOf: sharedPhaseOf,
  steps: {
    async admit(run) {
      if (await run.lockedOut(run.requestedUser)) return 'done';
      if (!(await mayConfirm(run, run.requestedUser))) {
        run.fail(OUTCOME_CODES.notAllowed, 'this user may not confirm this action');
        return 'done';
      }
      return 'start';
    },
    start: start('authenticate'),
    authenticate: authenticate('account', 'end'),
    account: account('authorize', 'change-password', 'end'),
    'change-password': changePassword('authorize', 'end'),

    // Checked again on PAM_USER: a module may have changed the user.
    async authorize(run) {
      if (!(await mayConfirm(run, run.pamUser))) {
        run.fail(OUTCOME_CODES.notAllowed, 'this user may not confirm this action');
        return 'end';
      }
      run.holdInterrupts();
      if (settings(run)?.command === undefined) run.succeed('approved');
      return 'end';
    },

    end: end((run) => (run.result === undefined && settings(run)?.command !== undefined ? 'run-approved' : 'done')),

    async 'run-approved'(run) {
      const { services } = run;
      const command = settings(run)?.command ?? [];
      let exitStatus: number;
      try {
        exitStatus = await services.runCommand({
          argv: command,
          env: inheritedEnvironment(),
          cwd: '/',
          signal: run.stopSignal,
        });
      } catch (error) {
        services.log({ event: 'approved-command-failed', error: (error as { code?: string }).code ?? 'unknown' });
        run.fail(OUTCOME_CODES.internal, 'the approved command could not be started');
        return 'done';
      }
      run.succeed(`approved; the command exited with status ${exitStatus}`, exitStatus);
      return 'done';
    },
  },
};

function inheritedEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
