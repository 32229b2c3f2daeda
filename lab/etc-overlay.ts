// Tests that add users to /etc (pam_unix, pam_faillock, login sessions) run only
// inside the private mount namespace that scripts/with-etc-overlay.sh sets up,
// where /etc is an overlay that vanishes with the namespace.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export type OverlayStatus = { ok: true } | { ok: false; reason: string };

let cached: OverlayStatus | undefined;

export function etcOverlayStatus(): OverlayStatus {
  if (cached) return cached;
  if (process.getuid?.() !== 0) {
    cached = { ok: false, reason: 'needs root (run the tests as root: sudo npm test)' };
  } else if (process.env.GATEHOUSE_ETC_OVERLAY !== '1') {
    cached = { ok: false, reason: 'needs /etc overlaid in a private mount namespace (run through npm test)' };
  } else {
    let fstype = '';
    try {
      fstype = execFileSync('findmnt', ['-n', '-o', 'FSTYPE', '--target', '/etc'], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .pop()!
        .trim();
    } catch {
      fstype = '';
    }
    cached =
      fstype === 'overlay'
        ? { ok: true }
        : { ok: false, reason: `/etc is ${fstype || 'unknown'}, not the test overlay; refusing to write to it` };
  }
  return cached;
}

/** Throws unless /etc is the test overlay: the guard in front of every write to /etc. */
export function assertEtcOverlay(): void {
  const status = etcOverlayStatus();
  if (!status.ok) throw new Error(`refusing to write to /etc: ${status.reason}`);
}

/**
 * Makes /etc/pam.d/passwd (the service of the system's setuid passwd) the lab's
 * password group, inside the overlay only.
 */
export function installPasswdService(text: string): void {
  assertEtcOverlay();
  writeFileSync('/etc/pam.d/passwd', text, { mode: 0o644 });
}
