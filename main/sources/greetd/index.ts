// greetd as a PAM source: run as greetd's greeter ($GREETD_SOCK set), the engine
// takes its conversation from greetd's IPC instead of the addon, and a login's
// session is handed to greetd with start_session. The flows and the protocol
// events are the same; see transaction.ts for what maps to what and what greetd
// cannot carry, and docs/engine.md ("greetd as the PAM source").
import type { CallKey, EngineSources } from '../../auth/pam-calls';
import type { StartOptions } from '../../../native';
import type { SessionLauncher } from '../../auth/session-launcher';
import { GreetdTransaction } from './transaction';

export { GreetdTransaction, NO_PASSWORD_CHANGE, USER_PROMPT, shellQuote } from './transaction';

/**
 * The PAM calls the flows make that greetd does not make then (or at all): no
 * result is reported for them. greetd's own pam_start is part of create_session
 * (its failure shows on authenticate); it opens the session, closes it, deletes
 * the credentials and ends the transaction around the session it starts after the
 * greeter has exited; it has no password change.
 */
export const GREETD_UNREPORTED_CALLS: ReadonlySet<CallKey> = new Set<CallKey>([
  'start',
  'chauthtok',
  'open_session',
  'close_session',
  'setcred:delete',
  'setcred:refresh',
  'setcred:reinitialize',
  'end',
]);

/** The PAM source for one engine: transactions through greetd at `socketPath`. */
export function greetdSource(socketPath: string): EngineSources {
  // An engine runs one transaction at a time: the launcher starts that one's session.
  let current: GreetdTransaction | undefined;
  const launchSession: SessionLauncher = async ({ session, pamEnv, locale, log }) => {
    const tx = current;
    if (tx === undefined) return { kind: 'not-started' };
    try {
      // The language chosen on the screen becomes the session's, as in a local launch.
      await tx.startSession(session.command, locale === undefined ? pamEnv : { ...pamEnv, LANG: locale });
    } catch (error) {
      log({ event: 'session-start-failed', session: session.id, error: (error as { code?: string }).code ?? 'greetd' });
      return { kind: 'not-started' };
    }
    log({ event: 'session-handed-over', session: session.id, to: 'greetd' });
    return { kind: 'handed-over', reason: 'greetd starts the session when the greeter exits' };
  };
  return {
    startTransaction: async (options: StartOptions) => {
      current = await GreetdTransaction.start(socketPath, options);
      return current;
    },
    launchSession,
    unreportedCalls: GREETD_UNREPORTED_CALLS,
  };
}
