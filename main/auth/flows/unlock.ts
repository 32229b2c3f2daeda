// unlock (screen lock, runs as the session's user; the user is fixed):
//
//   admit → start → authenticate → account → [change-password] → refresh-credentials → end
//
// Never opens a session.
import { PamError } from '../../../native';
import type { FlowDefinition } from './machine';
import { account, admit, authenticate, changePassword, end, endIfStarted, sharedPhaseOf, start } from './steps';

type UnlockState = 'admit' | 'start' | 'authenticate' | 'account' | 'change-password' | 'refresh-credentials' | 'end';

export const unlockFlow: FlowDefinition<UnlockState> = {
  initial: 'admit',
  recover: endIfStarted,
  phaseOf: sharedPhaseOf,
  steps: {
    admit: admit('start'),
    start: start('authenticate'),
    authenticate: authenticate('account', 'end'),
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
