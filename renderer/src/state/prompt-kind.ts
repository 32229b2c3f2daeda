// What a PAM prompt asks for, as far as its text tells: a one-time code (a
// second factor: numeric keypad, "step 2 of 2"), a secret (echo-off), an
// echo-on answer, or a yes/no choice. Only the well-known wording of code
// prompts is recognised; anything else is shown as the module sent it.
import type { PromptView } from './screen-state';

export type PromptKind = 'code' | 'secret' | 'text' | 'radio';

// pam_oath ("One-time password (OATH) for `alice': "), pam_google_authenticator
// ("Verification code: "), RADIUS / RSA tokens ("Enter PASSCODE: ", "Token code"),
// and the usual words for a second factor.
const CODE_PROMPT = /one[- ]time|verification code|passcode|token code|authenticat\w* code|security code|\bOTP\b|two-factor|2FA/i;

export function promptKind(prompt: Pick<PromptView, 'style' | 'text'>): PromptKind {
  if (prompt.style === 'radio') return 'radio';
  if (CODE_PROMPT.test(prompt.text)) return 'code';
  return prompt.style === 'echo-off' ? 'secret' : 'text';
}
