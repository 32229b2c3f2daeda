// Where gatehouse-passwd-pty is: resources/libexec/ in a packaged app,
// /usr/libexec/gatehouse/ from the deb, dist/libexec/ in a checkout (built by
// `npm run build`), seen from the sources or from dist/.
import { join } from 'node:path';
import { firstExecutable } from '../../executables';

export const HELPER_NAME = 'gatehouse-passwd-pty';

export function helperCandidates(here: string = __dirname, resourcesPath: string | undefined = (process as { resourcesPath?: string }).resourcesPath): string[] {
  return [
    ...(resourcesPath === undefined ? [] : [join(resourcesPath, 'libexec', HELPER_NAME)]),
    join('/usr/libexec/gatehouse', HELPER_NAME),
    // dist/main/sources/passwd → dist/libexec
    join(here, '..', '..', '..', 'libexec', HELPER_NAME),
    // main/sources/passwd → dist/libexec
    join(here, '..', '..', '..', 'dist', 'libexec', HELPER_NAME),
  ];
}

/** The helper, or undefined when it is not installed. */
export function findHelper(candidates: readonly string[] = helperCandidates()): string | undefined {
  return firstExecutable(candidates);
}
