// An account's picture, for the lock screen, the privilege prompt and the
// greeter's list: AccountsService's icon (/var/lib/AccountsService/icons/USER),
// else the user's ~/.face. The engine may run as root and the user owns ~/.face,
// so the file is read with care: never through a symbolic link, only a regular
// file owned by whom it should be (root for AccountsService's copy, the user for
// ~/.face), at most MAX_PICTURE_BYTES, and only when its bytes are a PNG, JPEG,
// GIF or WebP image (never SVG, which can carry script). The UI gets it as a
// data: URL in the context: it never names a path.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

export const ACCOUNTS_SERVICE_ICONS = '/var/lib/AccountsService/icons';
export const MAX_PICTURE_BYTES = 128 * 1024;

export interface PictureOwner {
  name: string;
  uid: number;
  home: string;
}

export interface PictureSources {
  /** AccountsService's icon directory (a test gives another). */
  iconDir: string;
}

const TYPES: Array<{ type: string; matches(bytes: Buffer): boolean }> = [
  { type: 'image/png', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', matches: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  { type: 'image/webp', matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

/** The image type of `bytes` by their magic numbers, or undefined. */
export function pictureType(bytes: Buffer): string | undefined {
  return TYPES.find((t) => t.matches(bytes))?.type;
}

/** Reads `path` if it is a regular file (not a link) owned by `uid`, small enough; else undefined. */
function readOwnedFile(path: string, uid: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== uid || stat.size === 0 || stat.size > MAX_PICTURE_BYTES) return undefined;
    // One byte more than allowed: a file that grew since fstat is refused too.
    const buffer = Buffer.alloc(MAX_PICTURE_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_PICTURE_BYTES) return undefined;
    }
    return buffer.subarray(0, length);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

const PLAIN_NAME = /^[^/\0]+$/;

/** The account's picture as a data: URL, or undefined when it has none that passes the checks. */
export function userPicture(owner: PictureOwner, sources: PictureSources = { iconDir: ACCOUNTS_SERVICE_ICONS }): string | undefined {
  if (!PLAIN_NAME.test(owner.name) || owner.name === '.' || owner.name === '..') return undefined;
  const candidates: Array<[string, number]> = [[join(sources.iconDir, owner.name), 0]];
  if (owner.home.startsWith('/')) candidates.push([join(owner.home, '.face'), owner.uid]);
  for (const [path, uid] of candidates) {
    const bytes = readOwnedFile(path, uid);
    const type = bytes === undefined ? undefined : pictureType(bytes);
    if (bytes !== undefined && type !== undefined) return `data:${type};base64,${bytes.toString('base64')}`;
  }
  return undefined;
}
