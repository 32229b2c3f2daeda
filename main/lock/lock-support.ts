// Whether this session can be locked by the guard: an X11 session, with the
// guard installed. Wayland sessions are refused: grabs on Xwayland stop only X
// clients, and Electron has no ext-session-lock surface (docs/electron.md,
// "What a lock protects").
import type { IOType, StdioPipe, StdioNull } from 'node:child_process';
import { fstatSync } from 'node:fs';
import { join } from 'node:path';
import { isExecutable as executable } from '../executables';

export type LockSupport = { ok: true; guard: string } | { ok: false; reason: string };

/** Where the deb installs the helper programs. */
export const SYSTEM_LIBEXEC = '/usr/libexec/gatehouse';

/**
 * Where the guard may be: resources/libexec/ in a packaged app (AppImage,
 * electron-builder's dir), /usr/libexec/gatehouse/ from the deb; dist/libexec/ in
 * a checkout.
 */
export function guardCandidates(appDir: string, resourcesPath: string | undefined, packaged: boolean): string[] {
  if (!packaged) return [join(appDir, 'dist', 'libexec', 'gatehouse-guard')];
  return [...(resourcesPath === undefined ? [] : [join(resourcesPath, 'libexec', 'gatehouse-guard')]), join(SYSTEM_LIBEXEC, 'gatehouse-guard')];
}

/** The first of the candidates that is there, else the first (for the message that it is missing). */
export function guardPath(appDir: string, resourcesPath: string | undefined, packaged: boolean, isExecutable: (path: string) => boolean = executable): string {
  const candidates = guardCandidates(appDir, resourcesPath, packaged);
  return candidates.find(isExecutable) ?? candidates[0]!;
}

/** Why this session cannot be locked, or the guard that can lock it. */
export function lockSupport(env: NodeJS.ProcessEnv, guard: string, isExecutable: (path: string) => boolean = executable): LockSupport {
  const wayland = (env.WAYLAND_DISPLAY ?? '') !== '' || env.XDG_SESSION_TYPE === 'wayland';
  if (wayland) {
    return {
      ok: false,
      reason:
        'this is a Wayland session: Gatehouse cannot lock it. Grabs on Xwayland would stop X clients only, and ' +
        "Electron has no ext-session-lock surface. Use the compositor's own locker (swaylock, hyprlock, " +
        "GNOME's or KDE's lock screen).",
    };
  }
  if ((env.DISPLAY ?? '') === '') return { ok: false, reason: 'no X display: DISPLAY is unset' };
  if (!isExecutable(guard)) {
    return { ok: false, reason: `the screen guard ${guard} is missing or not executable (build it: npm run build); refusing to lock without it` };
  }
  return { ok: true, guard };
}

/** xss-lock's sleep lock (XSS_SLEEP_LOCK_FD), when it names a descriptor this process holds. */
export function sleepLockFdOf(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.XSS_SLEEP_LOCK_FD;
  if (text === undefined || !/^\d{1,4}$/.test(text) || Number(text) < 3) return undefined;
  try {
    fstatSync(Number(text));
  } catch {
    return undefined;
  }
  return Number(text);
}

type StdioEntry = IOType | StdioPipe | StdioNull | number;

/** These stdio entries for a child, and `fd` passed on under its own number (xss-lock's sleep lock). */
export function stdioPassingOn(base: readonly StdioEntry[], fd: number | undefined): StdioEntry[] {
  const stdio = [...base];
  if (fd === undefined) return stdio;
  while (stdio.length < fd) stdio.push('ignore');
  stdio[fd] = fd;
  return stdio;
}
