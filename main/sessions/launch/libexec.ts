// Where the engine's small root helpers (gatehouse-login-record, gatehouse-vt)
// are: /usr/libexec/gatehouse from the deb, dist/libexec in a checkout (built by
// `npm run build`), seen from main/ or from dist/main/.
import { join } from 'node:path';
import { firstExecutable } from '../../executables';

export function libexecCandidates(name: string, here: string = __dirname): string[] {
  return [
    join('/usr/libexec/gatehouse', name),
    join(here, '..', '..', '..', 'libexec', name),
    join(here, '..', '..', '..', 'dist', 'libexec', name),
  ];
}

/** The first candidate that is executable, or undefined when none is installed. */
export function findExecutableIn(candidates: readonly string[]): string | undefined {
  return firstExecutable(candidates);
}
