// Starting a login's session once PAM has opened it: the seam between the login
// flow and whatever runs the user's session. The local launcher runs the
// session command as the user and waits for it (the engine in `gatehouse
// engine` or any host that runs as root); a PAM source that starts sessions
// itself (greetd) brings its own launcher. Graphical sessions, utmp records and
// the like are launchers (or wrappers around this one) too.
import { existsSync } from 'node:fs';
import type { SessionChoice } from './api';
import type { Account } from './accounts';
import type { Log } from './log';
import { asAccount, findExecutable } from './run-command';
import type { RunCommand } from './run-command';
import { sessionEnvironment } from './session-environment';

export interface SessionLaunch {
  /** The user whose session it is (their passwd entry). */
  account: Account;
  session: SessionChoice;
  /** What the preparer set up before open_session (an X server), when there is a preparer. */
  prepared?: PreparedSession;
  /** The PAM environment after open_session (pam_getenvlist). */
  pamEnv: Record<string, string>;
  /** The language chosen on the screen, to become the session's LANG (session-environment.ts). */
  locale?: string;
  /** Aborted when the engine closes: the session is asked to stop. */
  signal: AbortSignal;
  log: Log;
}

export type SessionLaunchResult =
  /** The session ran here and has ended with this exit status. */
  | { kind: 'ended'; exitStatus: number }
  /** Someone else starts (and ends) the session (greetd, once the greeter has exited). */
  | { kind: 'handed-over'; reason: string }
  /** Nothing was started (a missing command, a failed exec); logged by the launcher. */
  | { kind: 'not-started' };

export type SessionLauncher = (launch: SessionLaunch) => Promise<SessionLaunchResult>;

/**
 * What a session needs before PAM opens it: a graphical session's display. Its
 * items go on the transaction before open_session, where pam_systemd and
 * pam_xauth read them.
 */
export interface PreparedSession {
  /** PAM_XDISPLAY (':1'). */
  xdisplay?: string;
  /** PAM_XAUTHDATA: the X authorization the display takes (a copy; wiped once set). */
  xauth?: { name: string; data: Uint8Array };
  /** Variables for the PAM environment before open_session (pam_systemd reads XDG_VTNR, XDG_SEAT). */
  pamEnv?: Record<string, string>;
  /** Stops what the preparation started (the X server). Called once: after close_session, or when no session ran. */
  release(): Promise<void>;
}

export interface SessionPreparation {
  account: Account;
  session: SessionChoice;
  /** Aborted when the engine closes. */
  signal: AbortSignal;
  log: Log;
}

/** Prepares a session before open_session; a string is why it could not be (logged by the preparer). */
export type SessionPreparer = (preparation: SessionPreparation) => Promise<PreparedSession | { failed: string }>;

/**
 * Runs the session command as the user — setpriv for uid, gid and the
 * supplementary groups — with the PAM environment plus login(1)'s variables, in
 * the home directory (`/` when it is missing), and waits for it to end.
 */
export function localSessionLauncher(runCommand: RunCommand): SessionLauncher {
  return async ({ account, session, pamEnv, locale, signal, log }) => {
    const env = sessionEnvironment(pamEnv, account, locale);
    if (findExecutable(session.command[0] ?? '', env.PATH ?? '') === undefined) {
      log({ event: 'session-start-failed', session: session.id, error: 'ENOENT' });
      return { kind: 'not-started' };
    }
    // Like login(1) without a home directory: start in /.
    const cwd = existsSync(account.home) ? account.home : '/';
    let exitStatus: number;
    try {
      exitStatus = await runCommand({ argv: asAccount(account, session.command), env, cwd, signal });
    } catch (error) {
      log({ event: 'session-start-failed', session: session.id, error: (error as { code?: string }).code ?? 'unknown' });
      return { kind: 'not-started' };
    }
    log({ event: 'session-ended', session: session.id, exitStatus });
    return { kind: 'ended', exitStatus };
  };
}
