// X authorization for a session's X server: a fresh MIT-MAGIC-COOKIE-1 per
// session, written in the Xauthority file format (what xauth(1) reads and
// libXau looks up) for the server (root's file) and for the session (the user's,
// readable by the user only).
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchownSync, openSync, writeSync } from 'node:fs';

export const MIT_MAGIC_COOKIE = 'MIT-MAGIC-COOKIE-1';

/** FamilyWild: the entry matches the display on any host name (as GDM and LightDM write it). */
const FAMILY_WILD = 0xffff;

/** 16 random bytes: a new cookie. */
export function newCookie(): Buffer {
  return randomBytes(16);
}

/** One Xauthority entry: family, address, display number, name, data; each a 16-bit big-endian length and bytes. */
export function xauthorityEntry(display: number, cookie: Uint8Array): Buffer {
  const field = (bytes: Uint8Array) => {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(bytes.length);
    return [length, Buffer.from(bytes)];
  };
  const family = Buffer.alloc(2);
  family.writeUInt16BE(FAMILY_WILD);
  return Buffer.concat([
    family,
    ...field(Buffer.alloc(0)),
    ...field(Buffer.from(String(display), 'latin1')),
    ...field(Buffer.from(MIT_MAGIC_COOKIE, 'latin1')),
    ...field(cookie),
  ]);
}

/**
 * Writes a new Xauthority file, mode 0600, owned by `owner`. The file must not
 * exist: O_EXCL with O_NOFOLLOW, so that nothing planted at the path (a link
 * into /etc) is written through.
 */
export function writeXauthority(path: string, display: number, cookie: Uint8Array, owner: { uid: number; gid: number }): void {
  const entry = xauthorityEntry(display, cookie);
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    fchownSync(fd, owner.uid, owner.gid);
    writeSync(fd, entry);
  } finally {
    closeSync(fd);
    entry.fill(0);
  }
}
