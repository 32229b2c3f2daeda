// login (kiosk greeter, runs as root):
//
//   admit → start → set-items → authenticate → account → [change-password]
//     → establish-credentials → prepare-session → open-session → run-session
//     → close-session → delete-credentials → end
//
// From establish-credentials on, cancel and prompt timeouts no longer abort the
// transaction: the session must be closed and the credentials deleted.
import { PamError } from '../../../native';
import { OUTCOME_CODES } from '../../protocol';
import type { LoginSettings } from '../api';
import type { FlowRun } from './flow-run';
import type { FlowDefinition, Next } from './machine';
import { account, admit, authenticate, changePassword, end, sharedPhaseOf, start } from './steps';

type LoginState =
  | 'admit'
  | 'start'
  | 'set-items'
  | 'authenticate'
  | 'account'
  | 'change-password'
  | 'establish-credentials'
  | 'prepare-session'
  | 'open-session'
  | 'run-session'
  | 'close-session'
  | 'delete-credentials'
  | 'end';

function settings(run: FlowRun): LoginSettings {
  const login = run.options.login;
  if (login === undefined) throw new Error('login settings are missing');
  return login;
}

/** The cleanup a login still owes, in the order it is owed. */
function recover(run: FlowRun): Next<LoginState> {
  if (run.sessionOpen) return 'close-session';
  if (run.credentialsEstablished) return 'delete-credentials';
  return run.tx === undefined ? 'done' : 'end';
}

export const loginFlow: FlowDefinition<LoginState> = {
  initial: 'admit',
  recover,
  phaseOf: (state, run) => (state === 'establish-credentials' ? 'session' : sharedPhaseOf(state, run)),
  steps: {
    admit: admit('start'),
    start: start('set-items'),

    // PAM_TTY and PAM_XDISPLAY go in before authentication: modules such as
    // pam_securetty, pam_access and pam_env's @{PAM_TTY} read them there.
    async 'set-items'(run) {
      const login = settings(run);
      const tx = run.transaction();
      try {
        if (login.tty !== undefined) await tx.setItem('tty', login.tty);
        if (login.display !== undefined) await tx.setItem('xdisplay', login.display);
      } catch (error) {
        if (!(error instanceof PamError)) throw error;
        run.fail(error.code, `PAM refused the terminal settings: ${error.message}`);
        return 'end';
      }
      return 'authenticate';
    },

    authenticate: authenticate('account', 'end'),
    account: account('establish-credentials', 'change-password', 'end'),
    'change-password': changePassword('establish-credentials', 'end'),

    async 'establish-credentials'(run) {
      run.holdInterrupts();
      const login = settings(run);
      const tx = run.transaction();
      try {
        await tx.setcred('establish');
      } catch (error) {
        if (!(error instanceof PamError)) throw error;
        run.fail(error.code, `the credentials could not be established: ${error.message}`);
        return 'end';
      }
      run.credentialsEstablished = true;
      // pam_systemd and pam_env read these from the PAM environment at open_session.
      const session = run.session;
      const desktopNames = session?.desktopNames ?? [];
      const variables: [string, string | number | undefined][] = [
        ['XDG_SESSION_CLASS', login.sessionClass],
        ['XDG_SEAT', login.seat],
        ['XDG_VTNR', login.vtnr],
        ['XDG_SESSION_TYPE', session?.type ?? login.sessionType],
        ['XDG_SESSION_DESKTOP', session?.id],
        ['XDG_CURRENT_DESKTOP', desktopNames.length > 0 ? desktopNames.join(':') : undefined],
      ];
      try {
        for (const [name, value] of variables) {
          if (value !== undefined) await tx.putenv(`${name}=${value}`);
        }
      } catch (error) {
        if (!(error instanceof PamError)) throw error;
        run.fail(error.code, `the session environment could not be set: ${error.message}`);
        return 'delete-credentials';
      }
      return 'prepare-session';
    },

    // What the session needs before PAM opens it (a graphical session's X
    // server): PAM_XDISPLAY and PAM_XAUTHDATA go on the transaction here, where
    // pam_systemd and pam_xauth read them at open_session.
    async 'prepare-session'(run) {
      const { services } = run;
      const session = run.session;
      const user = run.user;
      if (services.prepareSession === undefined || session === undefined || user === undefined) return 'open-session';
      const userAccount = await services.accounts.lookup(user);
      if (userAccount === undefined) {
        run.fail(OUTCOME_CODES.sessionFailed, 'the account has no passwd entry');
        return 'delete-credentials';
      }
      const prepared = await services.prepareSession({ account: userAccount, session, signal: run.stopSignal, log: services.log });
      if ('failed' in prepared) {
        run.fail(OUTCOME_CODES.sessionFailed, `the session could not be prepared: ${prepared.failed}`);
        return 'delete-credentials';
      }
      run.preparedSession = prepared;
      const tx = run.transaction();
      try {
        if (prepared.xdisplay !== undefined) await tx.setItem('xdisplay', prepared.xdisplay);
        if (prepared.xauth !== undefined) {
          try {
            await tx.setXauthData(prepared.xauth.name, prepared.xauth.data);
          } finally {
            prepared.xauth.data.fill(0);
          }
        }
        for (const [name, value] of Object.entries(prepared.pamEnv ?? {})) await tx.putenv(`${name}=${value}`);
      } catch (error) {
        if (!(error instanceof PamError)) throw error;
        run.fail(error.code, `PAM refused the session's display: ${error.message}`);
        return 'delete-credentials';
      }
      return 'open-session';
    },

    async 'open-session'(run) {
      try {
        await run.transaction().openSession();
      } catch (error) {
        if (!(error instanceof PamError)) throw error;
        run.fail(error.code, `the session could not be opened: ${error.message}`);
        return 'delete-credentials';
      }
      run.sessionOpen = true;
      return 'run-session';
    },

    async 'run-session'(run) {
      const { services } = run;
      const session = run.session;
      const user = run.user;
      if (run.stopSignal.aborted || session === undefined || user === undefined) {
        run.fail(OUTCOME_CODES.sessionFailed, 'the session was not started');
        return 'close-session';
      }
      const userAccount = await services.accounts.lookup(user);
      if (userAccount === undefined) {
        run.fail(OUTCOME_CODES.sessionFailed, 'the account has no passwd entry');
        return 'close-session';
      }
      const launched = await services.launchSession({
        account: userAccount,
        session,
        pamEnv: await run.transaction().getenvlist(),
        ...(run.preparedSession === undefined ? {} : { prepared: run.preparedSession }),
        ...(run.sessionLocale === undefined ? {} : { locale: run.sessionLocale }),
        signal: run.stopSignal,
        log: services.log,
      });
      switch (launched.kind) {
        case 'not-started':
          run.fail(OUTCOME_CODES.sessionFailed, 'the session command could not be started');
          break;
        case 'ended':
          run.succeed('the session has ended', launched.exitStatus);
          break;
        case 'handed-over':
          run.succeed(launched.reason);
          break;
      }
      return 'close-session';
    },

    async 'close-session'(run) {
      run.sessionOpen = false;
      try {
        await run.transaction().closeSession();
      } catch (error) {
        // Reported to the observer; the credentials must still be deleted.
        if (!(error instanceof PamError)) throw error;
      }
      return 'delete-credentials';
    },

    async 'delete-credentials'(run) {
      run.credentialsEstablished = false;
      try {
        await run.transaction().setcred('delete');
      } catch (error) {
        if (!(error instanceof PamError)) throw error;
      } finally {
        // The session's X server goes last: close_session modules may still use the display.
        const prepared = run.preparedSession;
        run.preparedSession = undefined;
        await prepared?.release();
      }
      return 'end';
    },

    end: end(),
  },
};
