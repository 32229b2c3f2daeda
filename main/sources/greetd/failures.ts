// What greetd's `error` responses mean in PAM terms. greetd's session worker runs
// pam_start, pam_authenticate, pam_acct_mgmt and pam_setcred(ESTABLISH) before it
// answers `success`, and reports the first that fails as
//   {"type":"error","error_type":"auth_error","description":"pam_acct_mgmt: NEW_AUTHTOK_REQD"}
// (PamError::from_rc in greetd: the call, then the code's name without PAM_; an
// aborted call reads "abort error: pam_authenticate: ABORT"). Other errors
// ("a session is already being configured", ...) carry no PAM call.
import { constants, PamError } from '../../../native';

/** The PAM call that failed in greetd, in the engine's terms (pamtester names). */
export type FailedCall = 'start' | 'authenticate' | 'acct_mgmt' | 'setcred' | 'other';

export interface GreetdFailure {
  call: FailedCall;
  /** 'PAM_AUTH_ERR', ... */
  code: string;
  errno: number;
  /** pam_strerror's text for the code, or greetd's description when it names no PAM call. */
  text: string;
}

const PAM_CALL = /(?:^|: )pam_([a-z_]+): ([A-Z_]+)$/;

const CALLS: Readonly<Record<string, FailedCall>> = {
  start: 'start',
  authenticate: 'authenticate',
  acct_mgmt: 'acct_mgmt',
  setcred: 'setcred',
};

/** Linux-PAM's pam_strerror texts for the codes greetd's login can end with. */
const PAM_TEXTS: Readonly<Record<string, string>> = {
  PAM_ABORT: 'Critical error - immediate abort',
  PAM_ACCT_EXPIRED: 'User account has expired',
  PAM_AUTH_ERR: 'Authentication failure',
  PAM_AUTHINFO_UNAVAIL: 'Authentication service cannot retrieve authentication info',
  PAM_BUF_ERR: 'Memory buffer error',
  PAM_CONV_ERR: 'Conversation error',
  PAM_CRED_ERR: 'Failure setting user credentials',
  PAM_CRED_EXPIRED: 'User credentials expired',
  PAM_CRED_INSUFFICIENT: 'Insufficient credentials to access authentication data',
  PAM_CRED_UNAVAIL: 'Authentication service cannot retrieve user credentials',
  PAM_MAXTRIES: 'Have exhausted maximum number of retries for service',
  PAM_NEW_AUTHTOK_REQD: 'Authentication token is no longer valid; new one required',
  PAM_PERM_DENIED: 'Permission denied',
  PAM_SERVICE_ERR: 'Error in service module',
  PAM_SYSTEM_ERR: 'System error',
  PAM_USER_UNKNOWN: 'User not known to the underlying authentication module',
};

function errnoOf(code: string): number | undefined {
  return constants[code];
}

/** An error response of greetd, in PAM terms. */
export function greetdFailure(description: string): GreetdFailure {
  const match = PAM_CALL.exec(description.trim());
  const code = match === null ? undefined : `PAM_${match[2]!}`;
  const errno = code === undefined ? undefined : errnoOf(code);
  if (match === null || code === undefined || errno === undefined || errno === 0) {
    return {
      call: 'other',
      code: 'PAM_SYSTEM_ERR',
      errno: errnoOf('PAM_SYSTEM_ERR') ?? 4,
      text: `greetd: ${description.slice(0, 200)}`,
    };
  }
  return { call: CALLS[match[1]!] ?? 'other', code, errno, text: PAM_TEXTS[code] ?? code };
}

/** A PamError for a failure, as the addon would have raised it for `operation`. */
export function pamErrorOf(failure: Pick<GreetdFailure, 'errno' | 'text'>, operation: string): PamError {
  return new PamError(failure.errno, operation, failure.text);
}

/** A PamError for `code` with pam_strerror's text (or `text`). */
export function pamError(code: string, operation: string, text?: string): PamError {
  const errno = errnoOf(code);
  if (errno === undefined) throw new Error(`libpam defines no ${code}`);
  return new PamError(errno, operation, text ?? PAM_TEXTS[code] ?? code);
}
