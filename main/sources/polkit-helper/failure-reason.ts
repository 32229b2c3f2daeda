// What a FAILURE from polkit-agent-helper-1 meant. The helper says only FAILURE
// on stdout; its stderr says why ("polkit-agent-helper-1: pam_authenticate failed:
// Authentication failure"), in the C locale (it clears its environment), with
// pam_strerror's words. Those words are turned back into the PAM code, so that a
// wrong password, an expired account and a helper that could not reach polkitd
// are told apart.

/** Linux-PAM's pam_strerror texts, for the codes a helper failure can carry. */
const STRERROR_CODES: Record<string, string> = {
  'Authentication failure': 'PAM_AUTH_ERR',
  'Permission denied': 'PAM_PERM_DENIED',
  'Insufficient credentials to access authentication data': 'PAM_CRED_INSUFFICIENT',
  'Authentication service cannot retrieve authentication info': 'PAM_AUTHINFO_UNAVAIL',
  'User not known to the underlying authentication module': 'PAM_USER_UNKNOWN',
  'Have exhausted maximum number of retries for service': 'PAM_MAXTRIES',
  'Authentication token is no longer valid; new one required': 'PAM_NEW_AUTHTOK_REQD',
  'User account has expired': 'PAM_ACCT_EXPIRED',
  'Authentication token expired': 'PAM_AUTHTOK_EXPIRED',
  'Conversation error': 'PAM_CONV_ERR',
  'System error': 'PAM_SYSTEM_ERR',
  'Error in service module': 'PAM_SERVICE_ERR',
  'Memory buffer error': 'PAM_BUF_ERR',
  'Critical error - immediate abort': 'PAM_ABORT',
  'Module is unknown': 'PAM_MODULE_UNKNOWN',
};

export type HelperFailure =
  /** pam_authenticate failed: the person did not prove who they are. */
  | { stage: 'authenticate'; code: string; message: string }
  /** Authenticated, but pam_acct_mgmt refused the account. */
  | { stage: 'account'; code: string; message: string }
  /** The helper could not do its job (setup, polkitd): nothing the person can fix by trying again. */
  | { stage: 'helper'; message: string };

const HELPER_PREFIX = 'polkit-agent-helper-1: ';

/** Reads the helper's stderr after a FAILURE. */
export function classifyFailure(stderr: string): HelperFailure {
  const lines = stderr.split('\n').map((line) => line.trim());
  for (const line of lines) {
    const pam = /^polkit-agent-helper-1: pam_(authenticate|acct_mgmt) failed: (.*)$/.exec(line);
    if (pam !== null) {
      const text = pam[2]!;
      const stage = pam[1] === 'authenticate' ? 'authenticate' : 'account';
      return { stage, code: STRERROR_CODES[text] ?? 'PAM_AUTH_ERR', message: text };
    }
  }
  const own = lines.find((line) => line.startsWith(HELPER_PREFIX) || line.startsWith('Error '));
  if (own !== undefined) return { stage: 'helper', message: describe(own) };
  // FAILURE and nothing said: pam_authenticate's result is the likely one (a
  // module that failed without a word). Treat it as a failed authentication.
  return { stage: 'authenticate', code: 'PAM_AUTH_ERR', message: 'Authentication failure' };
}

/**
 * The helper's own words, without its name, cut short. The helper never writes
 * an answer; its lines name users, PAM results and polkitd's errors.
 */
export function describe(line: string): string {
  const text = line.startsWith(HELPER_PREFIX) ? line.slice(HELPER_PREFIX.length) : line;
  return text.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 300);
}

/** The helper's own diagnostic lines from its stderr (never a module's), for the log. */
export function helperDiagnostics(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(HELPER_PREFIX) || line.startsWith('Error '))
    .slice(0, 5)
    .map(describe);
}
