// A session on a VT (login.vt) gets the VT as login(1) and greetd give it: the
// launcher remembers the active VT (the greeter's), opens /dev/ttyN for the
// session (its stdin, stdout, stderr and controlling terminal), hands the tty to
// the user (owner, group tty, 0620), and makes VT N the active one. The
// compositor takes the VT from its terminal; the greeter, on its own VT, no
// longer has the active one. At logout — after every process of the session has
// ended — VT N gets its text console back (a compositor killed mid-session
// leaves it in graphics mode with the keyboard off), the tty goes back to root,
// and the VT that was active before becomes active again: the greeter's.
//
// DRM master: the launcher makes no DRM call. Switching the VT is what makes
// the greeter's display server let go: Xorg drops DRM master when the kernel
// asks it to release its VT (VT_PROCESS mode), and a compositor started through
// logind or seatd has master dropped (and its input devices revoked) by the
// seat manager when its VT stops being the active one. The kernel does not
// drop a master by itself on a VT switch.
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { findExecutableIn, libexecCandidates } from './libexec';

export const VT_HELPER = 'gatehouse-vt';

export function findVtHelper(candidates: readonly string[] = libexecCandidates(VT_HELPER)): string | undefined {
  return findExecutableIn(candidates);
}

export class VtError extends Error {}

/** Runs gatehouse-vt; resolves with its stdout, rejects with its complaint. */
export function runVtHelper(helper: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // The helper gives up on a switch after 10 s; the timeout here is for a helper that hangs elsewhere.
    execFile(helper, args, { timeout: 20_000, env: {} }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new VtError(stderr.trim().split('\n')[0] || `${VT_HELPER} ${args[0]} failed`));
    });
  });
}

export async function activeVt(helper: string): Promise<number> {
  const out = (await runVtHelper(helper, ['active'])).trim();
  const vt = Number(out);
  if (!/^\d+$/.test(out) || vt < 1) throw new VtError(`${VT_HELPER} active printed ${JSON.stringify(out.slice(0, 20))}`);
  return vt;
}

/** The tty group's id from /etc/group, as login(1) uses it (TTYGROUP). */
export function ttyGroupId(groupFile = '/etc/group'): number | undefined {
  try {
    const line = readFileSync(groupFile, 'utf8').split('\n').find((l) => l.startsWith('tty:'));
    const gid = Number(line?.split(':')[2]);
    return line === undefined || !Number.isInteger(gid) ? undefined : gid;
  } catch {
    return undefined;
  }
}

export interface SessionVt {
  vt: number;
  /** The VT active before the session's (the greeter's). */
  previous: number;
  /** /dev/ttyN, open read-write, not the launcher's controlling terminal: the session's stdio. Closed by `closeTty`. */
  ttyFd: number;
  closeTty(): void;
  /** At logout, after the session's processes have ended: text console back, tty root's, the previous VT active. */
  release(): Promise<void>;
}

export interface TakeVtOptions {
  vt: number;
  account: { uid: number };
  helper: string;
  /** /dev by default. */
  devDir?: string;
}

/** Prepares VT `vt` for a session and makes it the active one; rejects (having undone what it did) when it cannot. */
export async function takeVt({ vt, account, helper, devDir = '/dev' }: TakeVtOptions): Promise<SessionVt> {
  const previous = await activeVt(helper);
  const path = `${devDir}/tty${vt}`;
  // O_NOCTTY: the tty must become the session's controlling terminal, never the engine's.
  const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY);
  let open = true;
  const closeTty = () => {
    if (open) closeSync(fd);
    open = false;
  };
  const before = fstatSync(fd);
  if (!before.isCharacterDevice()) {
    closeTty();
    throw new VtError(`${path} is not a terminal`);
  }
  const giveBack = () => {
    // Root's again, with the group and mode it had (the user's write access to it ends here).
    chownSync(path, 0, before.gid);
    chmodSync(path, before.mode & 0o7777);
  };
  try {
    // As login(1): the user's, group tty, 0620 (others in group tty may write(1) to it).
    const ttyGid = ttyGroupId();
    chownSync(path, account.uid, ttyGid ?? before.gid);
    chmodSync(path, ttyGid === undefined ? 0o600 : 0o620);
    await runVtHelper(helper, ['switch', String(vt)]);
  } catch (error) {
    closeTty();
    giveBack();
    await runVtHelper(helper, ['switch', String(previous)]).catch(() => undefined);
    throw error;
  }
  return {
    vt,
    previous,
    ttyFd: fd,
    closeTty,
    async release() {
      closeTty();
      const problems: string[] = [];
      await runVtHelper(helper, ['reset', String(vt)]).catch((error: Error) => problems.push(error.message));
      try {
        giveBack();
      } catch (error) {
        problems.push(`${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      if (previous !== vt) await runVtHelper(helper, ['switch', String(previous)]).catch((error: Error) => problems.push(error.message));
      if (problems.length > 0) throw new VtError(problems.join('; '));
    },
  };
}
