// Strict static serving of the built renderer: a URL path maps to a regular file
// inside the root or to nothing. No directory listings, no dotfiles, no '..', no
// encoded separators, and no symbolic link leading out of the root.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { contentTypeOf } from './content-types';

export type StaticLookup =
  | { kind: 'file'; path: string; contentType: string }
  | { kind: 'not-found' }
  | { kind: 'bad-request' };

const NOT_FOUND: StaticLookup = { kind: 'not-found' };

/**
 * The path segments a URL path (still percent-encoded) names, or why it names
 * nothing: empty segments, dotfiles, '..', encoded separators and NUL never do.
 */
export function pathSegments(pathname: string): string[] | StaticLookup {
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
  return segments.length === 0 ? NOT_FOUND : segments;
}

/** Finds the file `pathname` (a URL path, still percent-encoded) names under `root`. */
export async function lookupStaticFile(root: string, pathname: string): Promise<StaticLookup> {
  const segments = pathSegments(pathname);
  if (!Array.isArray(segments)) return segments;
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

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** Files kept in memory by readStaticFiles, in all. */
const MAX_PRELOAD_BYTES = 16 * 1024 * 1024;

/**
 * Every file lookupStaticFile would serve under `root`, read into memory, keyed by
 * its path segments joined with '/'. Read once when the host starts, so the page's
 * first load waits for no file system call (on a busy machine each one waits for
 * a thread of libuv's pool). Anything not found here is looked up on disk.
 */
export async function readStaticFiles(root: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  let bytes = 0;
  const walk = async (dir: string, segments: string[]): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const inner = [...segments, entry.name];
      if (entry.isDirectory()) {
        await walk(join(dir, entry.name), inner);
        continue;
      }
      const found = await lookupStaticFile(root, '/' + inner.map(encodeURIComponent).join('/'));
      if (found.kind !== 'file') continue;
      const body = await readFile(found.path);
      bytes += body.length;
      if (bytes > MAX_PRELOAD_BYTES) return;
      files.set(inner.join('/'), { body, contentType: found.contentType });
    }
  };
  await walk(root, []);
  return files;
}
