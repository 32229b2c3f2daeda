// Builds the project's scripted test PAM module (native/fixtures) when its source
// is newer than the built module.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT, SCRIPT_MODULE } from './paths';

export function buildScriptModule(): string {
  const source = join(REPO_ROOT, 'native', 'fixtures', 'pam_gatehouse_script.c');
  if (existsSync(SCRIPT_MODULE) && statSync(SCRIPT_MODULE).mtimeMs >= statSync(source).mtimeMs) {
    return SCRIPT_MODULE;
  }
  mkdirSync(dirname(SCRIPT_MODULE), { recursive: true });
  const tmp = `${SCRIPT_MODULE}.${process.pid}.tmp`;
  execFileSync(
    'gcc',
    ['-shared', '-fPIC', '-O2', '-g', '-Wall', '-Wextra', '-Werror', '-o', tmp, source, '-lpam', '-lpthread'],
    { stdio: 'inherit' },
  );
  renameSync(tmp, SCRIPT_MODULE);
  return SCRIPT_MODULE;
}
