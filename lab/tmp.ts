// Temporary directories for fixtures. A test run keeps them all under one root
// (GATEHOUSE_LAB_TMP, made and removed by the global test setup); outside a run
// they go to the system's temp dir and are removed when the process exits.
import { mkdtempSync, rmSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
let hooked = false;

/** A fresh directory, mode 0755 so that test users other than root can read it. */
export function makeTempDir(prefix = 'gatehouse-lab-'): string {
  const root = process.env.GATEHOUSE_LAB_TMP;
  const dir = mkdtempSync(join(root !== undefined && existsSync(root) ? root : tmpdir(), prefix));
  chmodSync(dir, 0o755);
  made.push(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', removeTempDirs);
  }
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** For the global setup of a test run: one root for every temp dir of the run. */
export function makeRunTempRoot(): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-run-'));
  chmodSync(root, 0o755);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
