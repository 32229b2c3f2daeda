// Strict static serving of the built renderer: a URL path maps to a regular file
// inside the root or to nothing. No directory listings, no dotfiles, no '..', no
// encoded separators, and no symbolic link leading out of the root.
import { realpath, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { contentTypeOf } from './content-types';

export type StaticLookup =
  | { kind: 'file'; path: string; contentType: string }
  | { kind: 'not-found' }
  | { kind: 'bad-request' };

const NOT_FOUND: StaticLookup = { kind: 'not-found' };

/** Finds the file `pathname` (a URL path, still percent-encoded) names under `root`. */
export async function lookupStaticFile(root: string, pathname: string): Promise<StaticLookup> {
  const segments: string[] = [];
  for (const raw of pathname.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'bad-request' };
    }
    if (segment === '' || segment.startsWith('.') || /[\\/\0]/.test(segment)) return NOT_FOUND;
    segments.push(segment);
  }
  if (segments.length === 0) return NOT_FOUND;
  const rootPath = resolve(root);
  const candidate = join(rootPath, ...segments);
  if (!candidate.startsWith(rootPath + sep)) return NOT_FOUND;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(rootPath), realpath(candidate)]);
    if (!realFile.startsWith(realRoot + sep)) return NOT_FOUND;
    if (!(await stat(realFile)).isFile()) return NOT_FOUND;
    return { kind: 'file', path: realFile, contentType: contentTypeOf(realFile) };
  } catch {
    return NOT_FOUND;
  }
}

/**
 * dist/renderer of this checkout: found from the package root, so that it is the
 * same whether this file runs compiled (dist/main/...) or from source (tests).
 */
export function defaultRendererDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return resolve(__dirname, '..', '..', '..', 'renderer');
    dir = parent;
  }
  // From dist/main/hosts/browser the first package.json found is the checkout's.
  return join(dir, 'dist', 'renderer');
}
