// Suites that need real users (pam_unix, pam_faillock, OTP) run only as root in
// the /etc overlay of scripts/with-etc-overlay.sh; elsewhere they skip and say why.
import { etcOverlayStatus } from '../../lab/etc-overlay';
import { test } from './fixtures';

/** Call inside a describe(): skips its tests, with the reason printed, unless test users can exist. */
export function requireTestUsers(suite: string): void {
  const status = etcOverlayStatus();
  if (!status.ok) console.warn(`SKIP ${suite}: ${status.reason}`);
  test.skip(!status.ok, status.ok ? '' : status.reason);
}
