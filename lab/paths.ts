// Where the real PAM modules and the project's own test module live on this machine.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');

function firstDirWith(file: string, dirs: string[]): string {
  const found = dirs.find((d) => existsSync(join(d, file)));
  if (found === undefined) {
    throw new Error(`${file} not found in ${dirs.join(', ')}: install the packages listed in build/apt-packages.txt`);
  }
  return found;
}

const arch = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';

/** Linux-PAM's own modules (pam_unix, pam_permit, ...). */
export const SECURITY_DIR = firstDirWith('pam_permit.so', [
  `/usr/lib/${arch}/security`,
  `/lib/${arch}/security`,
  '/usr/lib64/security',
  '/usr/lib/security',
]);

/** libpam-wrapper's test modules (pam_matrix, pam_chatty, pam_get_items, pam_set_items). */
export const PAM_WRAPPER_DIR = firstDirWith('pam_matrix.so', [`/usr/lib/${arch}/pam_wrapper`, '/usr/lib64/pam_wrapper']);

export function module(name: string): string {
  return join(SECURITY_DIR, name);
}

export function wrapperModule(name: string): string {
  return join(PAM_WRAPPER_DIR, name);
}

/** The project's scripted test module (native/fixtures), built by the test setup. */
export const SCRIPT_MODULE = join(REPO_ROOT, 'native', 'fixtures', 'build', 'pam_gatehouse_script.so');
