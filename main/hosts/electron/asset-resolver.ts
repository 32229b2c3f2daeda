// Maps an app:// URL to a file under one of the served directories. Pure: the
// protocol handler does the reading (and checks that symbolic links do not lead
// out, see containedIn). Anything that is not a plain file below a served root
// (parent segments, encoded separators, NUL, dotfiles, unknown hosts or types) is
// refused, so a page can never read the rest of the disk through the scheme.
import { posix, sep, join, resolve } from 'node:path';
import { APP_SCHEME } from './app-origin';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export type AssetResolution =
  | { ok: true; host: string; root: string; file: string; contentType: string }
  | { ok: false; status: 400 | 404 | 405; reason: string };

/**
 * `roots` maps a host name (app://<host>/) to the directory it serves.
 * `method` is the request's HTTP method: only GET and HEAD read files.
 */
export function resolveAsset(url: string, roots: Readonly<Record<string, string>>, method = 'GET'): AssetResolution {
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 405, reason: 'method not allowed' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:`) return { ok: false, status: 400, reason: 'not an app: URL' };
  const host = parsed.hostname;
  const root = Object.hasOwn(roots, host) ? roots[host] : undefined;
  if (root === undefined) return { ok: false, status: 404, reason: 'unknown host' };

  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad escape in path' };
  }
  // Separators or NUL that only appear after decoding were never meant as path syntax.
  if (path.includes('\0') || path.includes('\\') || /%2f|%5c/i.test(parsed.pathname)) {
    return { ok: false, status: 400, reason: 'bad character in path' };
  }
  const segments = path.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) {
    return { ok: false, status: 400, reason: 'relative segment in path' };
  }
  if (segments.some((segment) => segment.startsWith('.'))) return { ok: false, status: 404, reason: 'hidden file' };
  if (path === '' || path.endsWith('/')) path += 'index.html';
  const relative = posix.normalize(path).replace(/^\/+/, '');
  const base = resolve(root);
  const file = resolve(join(base, relative));
  if (!containedIn(file, base)) return { ok: false, status: 400, reason: 'outside the served directory' };

  const dot = relative.lastIndexOf('.');
  const extension = dot > relative.lastIndexOf('/') ? relative.slice(dot).toLowerCase() : '';
  const contentType = Object.hasOwn(CONTENT_TYPES, extension) ? CONTENT_TYPES[extension] : undefined;
  if (contentType === undefined) return { ok: false, status: 404, reason: 'unserved file type' };
  return { ok: true, host, root: base, file, contentType };
}

/** Whether `file` lies below `root` (both already resolved, e.g. by realpath). */
export function containedIn(file: string, root: string): boolean {
  return file.startsWith(root.endsWith(sep) ? root : root + sep);
}
