// The session's XDG_RUNTIME_DIR: pam_systemd's (/run/user/UID, made by logind)
// when the PAM stack has it, else one the launcher makes for the session — 0700,
// owned by the user, as the XDG Base Directory spec asks — and removes after.
import { spawnSync } from 'node:child_process';
import { chownSync, lstatSync, mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

export interface RuntimeDir {
  path: string;
  /** Whether the launcher made it (and removes it when the session ends). */
  made: boolean;
  remove(): void;
}

export class RuntimeDirError extends Error {}

/** A directory the user owns, mode 0700: what a runtime directory must be. */
function usable(path: string, uid: number): boolean {
  try {
    const stat = lstatSync(path);
    return stat.isDirectory() && stat.uid === uid && (stat.mode & 0o777) === 0o700;
  } catch {
    return false;
  }
}

/**
 * `fromPam`: XDG_RUNTIME_DIR from the PAM environment (pam_systemd's), used when
 * it is the user's. Otherwise `base/UID` (base: /run/user on a machine): made
 * when missing; one already there is used only when it is the user's, 0700 (a
 * runtime directory another login of the user has), and not removed.
 */
export function sessionRuntimeDir(fromPam: string | undefined, account: { uid: number; gid: number }, base: string): RuntimeDir {
  const keep = (path: string): RuntimeDir => ({ path, made: false, remove: () => undefined });
  if (fromPam !== undefined && usable(fromPam, account.uid)) return keep(fromPam);
  const path = join(base, String(account.uid));
  mkdirSync(base, { recursive: true, mode: 0o755 });
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (usable(path, account.uid)) return keep(path);
    throw new RuntimeDirError(`${path} exists and is not the user's (0700)`);
  }
  chownSync(path, account.uid, account.gid);
  return { path, made: true, remove: () => removeAsUser(path, account) };
}

/**
 * Empties the directory as its user, then removes it as root. Its contents are
 * the user's to arrange: a recursive removal as root could be led, by a
 * directory swapped for a link while it runs, to delete files elsewhere.
 */
function removeAsUser(path: string, account: { uid: number; gid: number }): void {
  // Only the uid matters for removing the user's own files: no groups at all.
  const asUser = [`--reuid=${account.uid}`, `--regid=${account.gid}`, '--clear-groups'];
  spawnSync('setpriv', [...asUser, 'find', path, '-mindepth', '1', '-delete'], {
    stdio: 'ignore',
    env: { PATH: '/usr/bin:/bin' },
    timeout: 30_000,
  });
  try {
    rmdirSync(path);
  } catch {
    // not empty (something the user could not remove) or gone: left for the next boot's /run
  }
}
