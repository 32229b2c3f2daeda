// The same setup as the vitest suites (lab/global-setup.ts): the scripted PAM
// module is built and, inside the /etc overlay, the test users are created.
// Playwright runs in an overlay of its own (scripts/test.sh), so it does it again.
// Screenshots of an earlier run are removed: the folder shows this run only.
import { rmSync } from 'node:fs';
import labSetup from '../lab/global-setup';
import { SCREENSHOT_DIR } from './support/artifacts';

// Playwright runs the returned function at the end: the run's temp root goes.
export default function globalSetup(): () => void {
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  return labSetup();
}
