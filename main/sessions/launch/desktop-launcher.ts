// Starting a login's desktop session as its user: the session launcher the
// engine daemon plugs into the login flow (main/auth/session-launcher.ts).
//
//   prepare (before open_session): an X11 session gets a fresh X server with a
//     new cookie; PAM_XDISPLAY and PAM_XAUTHDATA go on the transaction.
//   launch (after open_session): the runtime directory (pam_systemd's, or one
//     made for the session), the user's Xauthority file, the XDG_* variables;
//     the session command as the user in a session of its own (setsid); the
//     utmp/wtmp record; then, when the command ends (logout), every process of
//     the session ended and the record closed.
//   release (after close_session and setcred DELETE): the X server stopped.
//
// Wayland sessions need nothing before open_session: the compositor is the
// session command, and its socket appears in the runtime directory.
//
// With login.vt, Wayland and tty sessions get the VT (session-vt.ts): /dev/ttyN
// as their terminal, VT N made active before the command starts, the greeter's
// VT made active again at logout. X11 sessions leave the VT to Xorg, which
// takes vtN itself (switching to it, and back when it exits).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as osConstants } from 'node:os';
import type { Account } from '../../auth/accounts';
import type { Log } from '../../auth/log';
import { asAccount, findExecutable } from '../../auth/run-command';
import { sessionEnvironment } from '../../auth/session-environment';
import type { PreparedSession, SessionLauncher, SessionPreparer } from '../../auth/session-launcher';
import { findRecordHelper, writeLoginRecord, type LoginRecord, type LoginRecordFiles } from './login-records';
import { sessionRuntimeDir, type RuntimeDir } from './runtime-dir';
import { endSessionProcesses, SESSION_MARKER } from './session-processes';
import { findVtHelper, takeVt, type SessionVt } from './session-vt';
import { MIT_MAGIC_COOKIE, newCookie, writeXauthority } from './x-authority';
import { startXServer, type XServer } from './x-server';

export type SessionKind = 'x11' | 'wayland' | 'tty';

export interface DesktopSessionSettings {
  /** A session's kind when it names none (the configuration's login.sessionType). */
  defaultKind: SessionKind;
  /** The X server command for X11 sessions (Xorg on a machine, Xvfb in tests). */
  xServer: readonly string[];
  seat: string;
  /** The session's VT (XDG_VTNR, Xorg's vtN). */
  vt?: number;
  /** PAM_TTY, and the utmp line. */
  tty?: string;
  /** Where runtime directories are made when pam_systemd made none (/run/user). */
  runtimeDirBase: string;
  /** utmp / wtmp; absent: no records. */
  records?: LoginRecordFiles;
  /** gatehouse-login-record (default: found beside the program). */
  recordHelper?: string;
  /** gatehouse-vt (default: found beside the program). */
  vtHelper?: string;
}

export interface DesktopSessions {
  prepareSession: SessionPreparer;
  launchSession: SessionLauncher;
}

/** What a prepared X11 session holds until it is released. */
interface XDisplay {
  server: XServer;
  cookie: Buffer;
  /** Root's directory for the server's Xauthority. */
  serverAuthDir: string;
}

const STOP_GRACE_MS = 5_000;
const SETSID = '/usr/bin/setsid';

export function desktopSessions(settings: DesktopSessionSettings): DesktopSessions {
  const displays = new WeakMap<PreparedSession, XDisplay>();
  const kindOf = (type: SessionKind | undefined): SessionKind => type ?? settings.defaultKind;

  const prepareSession: SessionPreparer = async ({ session, signal, log }) => {
    if (kindOf(session.type) !== 'x11') return { release: async () => undefined };
    const serverAuthDir = mkdtempSync(join(tmpdir(), 'gatehouse-x11-'));
    const cookie = newCookie();
    try {
      const authFile = join(serverAuthDir, 'server.auth');
      // The server reads only the name and data of each entry (os/auth.c), so the
      // display number, which it picks itself, need not be known yet.
      writeXauthority(authFile, 0, cookie, { uid: 0, gid: 0 });
      const server = await startXServer({
        argv: settings.xServer,
        authFile,
        ...(settings.vt === undefined ? {} : { vt: settings.vt }),
        signal,
      });
      log({ event: 'x-server-started', session: session.id, display: `:${server.display}`, pid: server.pid });
      const prepared: PreparedSession = {
        xdisplay: `:${server.display}`,
        xauth: { name: MIT_MAGIC_COOKIE, data: Buffer.from(cookie) },
        async release() {
          displays.delete(prepared);
          await server.stop();
          cookie.fill(0);
          rmSync(serverAuthDir, { recursive: true, force: true });
          log({ event: 'x-server-stopped', display: `:${server.display}` });
        },
      };
      displays.set(prepared, { server, cookie, serverAuthDir });
      return prepared;
    } catch (error) {
      cookie.fill(0);
      rmSync(serverAuthDir, { recursive: true, force: true });
      const problem = error instanceof Error ? error.message : 'error';
      log({ event: 'x-server-failed', session: session.id, problem });
      return { failed: problem };
    }
  };

  const launchSession: SessionLauncher = async ({ account, session, pamEnv, prepared, locale, signal, log }) => {
    const kind = kindOf(session.type);
    const env = sessionEnvironment(pamEnv, account, locale);
    if (findExecutable(session.command[0] ?? '', env.PATH ?? '') === undefined) {
      log({ event: 'session-start-failed', session: session.id, error: 'ENOENT' });
      return { kind: 'not-started' };
    }
    const display = prepared === undefined ? undefined : displays.get(prepared);
    if (kind === 'x11' && display === undefined) {
      log({ event: 'session-start-failed', session: session.id, error: 'no X server' });
      return { kind: 'not-started' };
    }
    const cleanups: (() => void)[] = [];
    const cleanUp = () => {
      for (const step of cleanups.reverse()) {
        try {
          step();
        } catch {
          // best effort: the next step still runs
        }
      }
    };
    let runtime: RuntimeDir;
    try {
      runtime = sessionRuntimeDir(env.XDG_RUNTIME_DIR, account, settings.runtimeDirBase);
    } catch (error) {
      log({ event: 'session-start-failed', session: session.id, error: `runtime directory: ${error instanceof Error ? error.message : 'error'}` });
      return { kind: 'not-started' };
    }
    cleanups.push(() => runtime.remove());
    env.XDG_RUNTIME_DIR = runtime.path;
    env.XDG_SESSION_TYPE = kind;
    env.XDG_SESSION_DESKTOP = session.id;
    env.XDG_SEAT = settings.seat;
    if (settings.vt !== undefined) env.XDG_VTNR = String(settings.vt);
    if (session.desktopNames !== undefined && session.desktopNames.length > 0) env.XDG_CURRENT_DESKTOP = session.desktopNames.join(':');
    const marker = randomBytes(12).toString('hex');
    env[SESSION_MARKER] = marker;
    if (display !== undefined) {
      // The user's own copy of the cookie: in the runtime directory, 0600, theirs.
      const file = join(runtime.path, `xauth-${randomBytes(6).toString('hex')}`);
      try {
        writeXauthority(file, display.server.display, display.cookie, account);
      } catch (error) {
        cleanUp();
        log({ event: 'session-start-failed', session: session.id, error: `Xauthority: ${(error as NodeJS.ErrnoException).code ?? 'error'}` });
        return { kind: 'not-started' };
      }
      cleanups.push(() => rmSync(file, { force: true }));
      env.DISPLAY = `:${display.server.display}`;
      env.XAUTHORITY = file;
    }

    let vt: SessionVt | undefined;
    if (settings.vt !== undefined && kind !== 'x11') {
      const taken = await takeSessionVt(settings, settings.vt, account);
      if ('problem' in taken) {
        cleanUp();
        log({ event: 'session-start-failed', session: session.id, error: `VT ${settings.vt}: ${taken.problem}` });
        return { kind: 'not-started' };
      }
      vt = taken;
      log({ event: 'vt-taken', session: session.id, vt: vt.vt, previous: vt.previous });
    }
    const releaseVt = async () => {
      if (vt === undefined) return;
      try {
        await vt.release();
        log({ event: 'vt-released', session: session.id, vt: vt.vt, active: vt.previous });
      } catch (error) {
        log({ event: 'vt-release-failed', session: session.id, vt: vt.vt, problem: (error as Error).message });
      }
    };

    const cwd = existsSync(account.home) ? account.home : '/';
    const started = await startAsUser(account, session.command, env, cwd, vt?.ttyFd);
    // The session has its own copy of the tty now (or never will).
    vt?.closeTty();
    if ('error' in started) {
      await releaseVt();
      cleanUp();
      log({ event: 'session-start-failed', session: session.id, error: started.error });
      return { kind: 'not-started' };
    }
    const { pid, exited } = started;
    log({ event: 'session-started', session: session.id, type: kind, pid, ...(env.DISPLAY === undefined ? {} : { display: env.DISPLAY }) });
    const record: LoginRecord = {
      user: account.name,
      line: settings.tty ?? env.DISPLAY ?? settings.seat,
      pid,
      ...(env.DISPLAY === undefined ? {} : { host: env.DISPLAY }),
    };
    const records = await openRecord(settings, record, log);

    // The engine closing asks the session to stop: its whole process group.
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      signalGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), STOP_GRACE_MS);
    };
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    const exitStatus = await exited;
    signal.removeEventListener('abort', stop);
    clearTimeout(killTimer);

    // Logout: nothing of the session stays behind, and who/last see its end.
    const ended = await endSessionProcesses({ uid: account.uid, sid: pid, marker });
    if (ended.length > 0) log({ event: 'session-processes-ended', session: session.id, count: ended.length });
    await releaseVt();
    await records?.close();
    cleanUp();
    log({ event: 'session-ended', session: session.id, exitStatus });
    return { kind: 'ended', exitStatus };
  };

  return { prepareSession, launchSession };
}

async function takeSessionVt(settings: DesktopSessionSettings, number: number, account: Account): Promise<SessionVt | { problem: string }> {
  const helper = settings.vtHelper ?? findVtHelper();
  if (helper === undefined) return { problem: 'gatehouse-vt is not installed' };
  try {
    return await takeVt({ vt: number, account, helper });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === undefined ? (error as Error).message : `/dev/tty${number}: ${code}` };
  }
}

/**
 * Runs argv as the account (setpriv) in a new session. Without a tty: setsid
 * (detached), the output on the engine's stderr. With one (a session on a VT):
 * the tty as stdin, stdout and stderr, and made the session's controlling
 * terminal by setsid(1) --ctty as root before setpriv drops to the user — the
 * child is not a process group leader, so setsid(1) does not fork and the pid is
 * the session's leader either way.
 */
function startAsUser(
  account: Account,
  argv: string[],
  env: Record<string, string>,
  cwd: string,
  ttyFd?: number,
): Promise<{ pid: number; exited: Promise<number> } | { error: string }> {
  const asUser = asAccount(account, argv);
  const [file, ...args] = ttyFd === undefined ? asUser : [SETSID, '--ctty', ...asUser];
  return new Promise((resolve) => {
    const child = spawn(file!, args, {
      env,
      cwd,
      ...(ttyFd === undefined ? { stdio: ['ignore', 2, 2], detached: true } : { stdio: [ttyFd, ttyFd, ttyFd], detached: false }),
    });
    const exited = new Promise<number>((done) =>
      child.once('exit', (code, signal) => done(code ?? 128 + (signal === null ? 0 : osConstants.signals[signal]))),
    );
    child.once('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? 'unknown' }));
    child.once('spawn', () => resolve({ pid: child.pid!, exited }));
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

async function openRecord(settings: DesktopSessionSettings, record: LoginRecord, log: Log): Promise<{ close(): Promise<void> } | undefined> {
  const files = settings.records;
  if (files === undefined) return undefined;
  const helper = settings.recordHelper ?? findRecordHelper();
  if (helper === undefined) {
    log({ event: 'login-record-failed', problem: 'gatehouse-login-record is not installed' });
    return undefined;
  }
  try {
    await writeLoginRecord(helper, files, 'open', record);
  } catch (error) {
    log({ event: 'login-record-failed', action: 'open', problem: (error as Error).message });
    return undefined;
  }
  return {
    async close() {
      try {
        await writeLoginRecord(helper, files, 'close', record);
      } catch (error) {
        log({ event: 'login-record-failed', action: 'close', problem: (error as Error).message });
      }
    },
  };
}
