// Plain sentences for what PAM and the engine say in their own terms. Module
// texts that are well known (libpam's, pam_unix's, pam_pwquality's, pam_matrix's,
// pam_debug's, the engine's power failure) get the catalog's words; everything
// else is shown as sent. The raw text is never lost: the screen lists it under
// "Details", and the engine's log keeps the outcome's code and reason.
import type { MessageKey } from './catalogs/en';
import type { Params } from './translate';

export type PlainText =
  /** Shown as the catalog's sentence. */
  | { key: MessageKey; params?: Params }
  /** Not shown at all (only under Details): debugging chatter. */
  | { hidden: true };

interface Rule {
  pattern: RegExp;
  plain(match: RegExpExecArray): PlainText;
}

const RULES: Rule[] = [
  // pam_debug announces every return value it makes up ("acct=new_authtok_reqd").
  { pattern: /^(auth|cred|acct|prechauthtok|chauthtok|open_session|close_session)=[a-z_]+$/, plain: () => ({ hidden: true }) },
  // libpam's pam_get_authtok (pam_unix) and pam_matrix after a mistyped confirmation.
  { pattern: /^(Sorry, )?passwords do not match\.?$/i, plain: () => ({ key: 'plain.passwordsDiffer' }) },
  // pam_pwquality (and pam_cracklib) refusing a new password.
  {
    pattern: /^BAD PASSWORD: (.+?)\.?$/,
    plain: (m) => ({ key: 'plain.passwordRejected', params: { reason: m[1]! } }),
  },
  // pam_unix on an expired password (shadow's lastchg 0 or max age).
  {
    pattern: /^You are required to change your password immediately \((administrator enforced|root enforced|password expired|password aged)\)\.?$/,
    plain: () => ({ key: 'plain.passwordExpired' }),
  },
  { pattern: /^Password change has been aborted\.?$/, plain: () => ({ key: 'plain.changeAborted' }) },
  // pam_matrix's `verbose` error, the same thing the outcome says.
  { pattern: /^Authentication failed\.?$/, plain: () => ({ key: 'outcome.PAM_AUTH_ERR' }) },
  // The engine's message when a power command fails.
  {
    pattern: /^The (poweroff|reboot|suspend) request failed\.$/,
    plain: (m) => ({ key: `power.failed.${m[1] as 'poweroff' | 'reboot' | 'suspend'}` }),
  },
];

/** The plain form of a module's (or the engine's) message, or undefined to show it as sent. */
export function plainModuleText(text: string): PlainText | undefined {
  const trimmed = text.trim();
  for (const rule of RULES) {
    const match = rule.pattern.exec(trimmed);
    if (match !== null) return rule.plain(match);
  }
  return undefined;
}
