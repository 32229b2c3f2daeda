// Test-run setup shared by every suite: build the scripted PAM module, and inside
// the /etc overlay create the test users.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildScriptModule } from './fixtures-build';
import { REPO_ROOT } from './paths';
import { etcOverlayStatus } from './etc-overlay';
import { createTestUsers } from './users';
import { prepareTestLocales } from './locales';
import { makeRunTempRoot } from './tmp';

export default function setup(): () => void {
  // Every temp dir of the run lives under one root, removed at the end even when
  // test processes were killed before their own clean-up ran.
  const run = makeRunTempRoot();
  process.env.GATEHOUSE_LAB_TMP = run.root;
  // Lockout state of the run's own: no suite writes this machine's
  // /var/lib/gatehouse (suites that need a fresh one per process still set it).
  // A process of another user cannot use it and keeps its tallies in memory.
  process.env.GATEHOUSE_STATE_DIR = join(run.root, 'lockout-state');
  if (existsSync(join(REPO_ROOT, 'native', 'fixtures', 'pam_gatehouse_script.c'))) {
    buildScriptModule();
  }
  // German, for libpam's own texts in the chosen language (LOCPATH when compiled here).
  const localeProblem = prepareTestLocales();
  if (localeProblem !== undefined) {
    process.env.GATEHOUSE_LAB_LOCALES_PROBLEM = localeProblem;
    console.warn(`lab: ${localeProblem}`);
  }
  const overlay = etcOverlayStatus();
  if (overlay.ok) {
    const homes = process.env.GATEHOUSE_LAB_HOMES;
    if (!homes) throw new Error('GATEHOUSE_LAB_HOMES is not set (scripts/with-etc-overlay.sh sets it)');
    createTestUsers(homes);
  } else {
    console.warn(`lab: no test users: ${overlay.reason}`);
  }
  return run.remove;
}
