// unlock (screen lock, runs as the session's user; the user is fixed):
//
//   admit → start → authenticate → owner → account → [change-password] → refresh-credentials → end
//
// Never opens a session.
import { PamError } from '../../../native';
import { OUTCOME_CODES } from '../../protocol';
import type { FlowDefinition } from './machine';
import { account, admit, authenticate, changePassword, end, endIfStarted, sharedPhaseOf, start } from './steps';

type UnlockState = 'admit' | 'start' | 'authenticate' | 'owner' | 'account' | 'change-password' | 'refresh-credentials' | 'end';

export const unlockFlow: FlowDefinition<UnlockState> = {
  initial: 'admit',
  recover: endIfStarted,
  phaseOf: sharedPhaseOf,
  steps: {
    admit: admit('start'),
    start: start('authenticate'),
    authenticate: authenticate('owner', 'end'),

    // A module may rewrite PAM_USER during pam_authenticate: whoever it names now
    // is who authenticated, and only the session's owner unlocks the session.
    async owner(run) {
      if (run.pamUser !== run.requestedUser) {
        run.fail(OUTCOME_CODES.notAllowed, 'the user who authenticated is not the owner of this session');
        return 'end';
      }
      return 'account';
    },

    account: account('refresh-credentials', 'change-password', 'end'),
    'change-password': changePassword('refresh-credentials', 'end'),

    // The user has proven who they are: a credential cache that cannot be
    // refreshed (reported to the observer) does not keep them out of their session.
    async 'refresh-credentials'(run) {
      try {
        await run.transaction().setcred('refresh');
        run.succeed('unlocked');
      } catch (error) {
        if (!(error instanceof PamError)) throw error;
        run.succeed('unlocked; the credentials could not be refreshed');
      }
      return 'end';
    },

    end: end(),
  },
};
