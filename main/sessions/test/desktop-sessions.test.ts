// Desktop sessions through the engine daemon, with real parts: `gatehouse
// engine` as root on a pam_unix stack, the greeter user's `gatehouse check
// --engine` logging the lab's test users in, the sessions found in desktop
// entries of a data directory of the test's own (XDG_DATA_DIRS), Xvfb as the X
// server of X11 sessions, sway with its headless backend as a Wayland session,
// utmp / wtmp files in the test's directory read back with utmpdump and last.
//
// Not tested here: a real VT (session-vt.test.ts hands one over to a Wayland
// session), Xorg's vtN, DRM master and pam_systemd / logind (a test machine has
// no seat or GPU to give: the sessions get runtime directories the launcher
// makes). The X server is Xvfb, not Xorg.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { module, SCRIPT_MODULE } from '../../../lab/paths';
import { describeInEtcOverlay } from '../../../lab/skip';
import { makeTempDir } from '../../../lab/tmp';
import { PASSWORD, USERS } from '../../../lab/users';
import { RawClient, startDaemon, type RunningDaemon } from '../../hosts/socket/test/daemon-process';
import { assertNothingContains, runCli, startCli, type RunningCli } from '../../test/cli-process';

const GREETER = { uid: USERS.greeter.uid, gid: USERS.greeter.uid };
const X11_USER = USERS.desktopX11;
const WAYLAND_USER = USERS.desktopWayland;
const OTHER_USER = USERS.plain;

const missing = ['/usr/bin/Xvfb', '/usr/bin/xdpyinfo', '/usr/bin/sway', '/usr/bin/utmpdump'].filter((p) => !existsSync(p));
if (missing.length > 0) console.warn(`SKIP desktop sessions: ${missing.join(', ')} not installed (build/apt-packages.txt)`);

/** Processes of a user still running, as "PID COMMAND LINE" (from /proc; zombies aside). */
function processesOf(uid: number): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const realUid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      if (realUid !== uid || /^State:\s+Z/m.test(status)) continue;
      found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const describeSessions = missing.length === 0 ? describeInEtcOverlay : describe.skip;

describeSessions('desktop sessions started by the engine daemon', () => {
  let daemon: RunningDaemon;
  let dir = '';
  let utmp = '';
  let wtmp = '';
  let runtimeBase = '';

  const login = (user: { name: string }, session: string): RunningCli =>
    startCli(['check', '--json', '--flow', 'login', '--engine', daemon.socketPath, '--user', user.name, '--session', session], { as: GREETER });

  beforeAll(async () => {
    console.info(
      'desktop sessions: NOT TESTED here (a test machine has no seat or GPU to give): Xorg itself and its vtN, ' +
        'DRM master, pam_systemd/logind runtime directories (the VT handover: session-vt.test.ts). ' +
        'TESTED: Xvfb as the X server, sway headless as the compositor, runtime directories made by the launcher.',
    );
    dir = makeTempDir('gatehouse-desktop-');
    utmp = join(dir, 'utmp');
    wtmp = join(dir, 'wtmp');
    runtimeBase = join(dir, 'run-user');
    const data = join(dir, 'share');
    const bin = join(dir, 'bin');
    for (const sub of ['xsessions', 'wayland-sessions']) mkdirSync(join(data, sub), { recursive: true });
    mkdirSync(bin);
    const script = (name: string, text: string) => {
      const path = join(bin, name);
      writeFileSync(path, text);
      chmodSync(path, 0o755);
      return path;
    };
    // The X11 session: reports what it was given, connects to its display, leaves
    // two processes behind (one in its process group, one that left its session
    // with setsid), and waits to be told to log out.
    const x11 = script(
      'x11-session',
      [
        '#!/bin/sh',
        'echo "gh-x11 pam-xauthdata=$SEEN_XAUTHDATA" >&2',
        'echo "gh-x11 env uid=$(id -u) display=$DISPLAY pam-xdisplay=$SEEN_XDISPLAY xauthority=$XAUTHORITY type=$XDG_SESSION_TYPE desktop=$XDG_SESSION_DESKTOP current=$XDG_CURRENT_DESKTOP seat=$XDG_SEAT runtime=$XDG_RUNTIME_DIR" >&2',
        'if xdpyinfo >/dev/null 2>&1; then echo "gh-x11 display connected" >&2; else echo "gh-x11 display refused" >&2; fi',
        'sleep 300 &',
        'setsid sleep 301 &',
        'echo "gh-x11 waiting" >&2',
        `while [ ! -e ${dir}/end-x11 ]; do sleep 0.1; done`,
        'echo "gh-x11 logging out" >&2',
      ].join('\n') + '\n',
    );
    const swayConfig = join(dir, 'sway.conf');
    writeFileSync(
      swayConfig,
      [
        'xwayland disable',
        `exec sh -c 'echo "gh-wl compositor $(swaymsg -t get_version | grep -c human_readable) display=$WAYLAND_DISPLAY" >&2; while [ ! -e ${dir}/end-wayland ]; do sleep 0.1; done; swaymsg exit'`,
      ].join('\n') + '\n',
    );
    const wayland = script(
      'wayland-session',
      [
        '#!/bin/sh',
        'echo "gh-wl env uid=$(id -u) type=$XDG_SESSION_TYPE desktop=$XDG_SESSION_DESKTOP current=$XDG_CURRENT_DESKTOP seat=$XDG_SEAT runtime=$XDG_RUNTIME_DIR display=$DISPLAY" >&2',
        // The headless backend: no DRM, no input devices, software rendering.
        `exec env WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman sway -c ${swayConfig}`,
      ].join('\n') + '\n',
    );
    const entry = (sub: string, id: string, lines: string[]) =>
      writeFileSync(join(data, sub, `${id}.desktop`), ['[Desktop Entry]', 'Type=Application', ...lines].join('\n') + '\n');
    entry('xsessions', 'ghx11', ['Name=Probe X11', `Exec=${x11}`, 'DesktopNames=GhProbe;GNOME']);
    entry('wayland-sessions', 'ghsway', ['Name=Probe Sway', `Exec=${wayland}`, `TryExec=/usr/bin/sway`, 'DesktopNames=sway']);
    entry('xsessions', 'hidden', ['Name=Hidden', `Exec=${x11}`, 'Hidden=true']);
    entry('xsessions', 'nodisplay', ['Name=NoDisplay', `Exec=${x11}`, 'NoDisplay=true']);
    entry('xsessions', 'notinstalled', ['Name=Not installed', `Exec=${x11}`, 'TryExec=/usr/bin/no-such-desktop-gh']);
    entry('wayland-sessions', 'broken', ['Name=Broken', 'Exec="unterminated']);
    writeFileSync(join(data, 'xsessions', 'garbage.desktop'), 'this is not a desktop entry\n');

    const conf = makeConfDir({
      'desktop-test': [
        `auth required ${module('pam_unix.so')} nodelay`,
        `account required ${module('pam_unix.so')}`,
        // PAM_XDISPLAY and PAM_XAUTHDATA as the session modules see them, into the session's environment.
        `session required ${SCRIPT_MODULE} script=${join(dir, 'session-script')}`,
        `session required ${module('pam_unix.so')}`,
      ].join('\n'),
    });
    writeFileSync(join(dir, 'session-script'), '[open_session]\nexport-item xdisplay SEEN_XDISPLAY\nexport-item xauthdata SEEN_XAUTHDATA\n');
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        login: {
          // No login.sessions: the installed ones (XDG_DATA_DIRS below).
          xServer: ['/usr/bin/Xvfb', '-nolisten', 'tcp', '-screen', '0', '640x480x24'],
          runtimeDirBase: runtimeBase,
          records: { utmp, wtmp },
        },
        timeouts: { promptMs: 30_000 },
      }),
    );
    daemon = await startDaemon(
      join(dir, 'engine.sock'),
      ['--client-user', USERS.greeter.name, '--config', config, '--confdir', conf.dir, '--service', 'desktop-test'],
      { XDG_DATA_DIRS: data },
    );
  });

  afterAll(async () => {
    await daemon?.stop();
  });

  it('offers the installed sessions, X11 and Wayland, and none that is hidden, not installed or broken', async () => {
    const client = new RawClient(daemon.socketPath, GREETER);
    await client.connected;
    try {
      client.send({ type: 'hello' });
      const context = await client.next('context');
      // Sorted by name; the first is the default.
      expect(context.sessions).toEqual([
        { id: 'ghsway', name: 'Probe Sway' },
        { id: 'ghx11', name: 'Probe X11' },
      ]);
    } finally {
      await client.close();
    }
  });

  it('X11: a fresh X server, a cookie only the user can read, PAM_XDISPLAY and PAM_XAUTHDATA set, a utmp record; logout ends it all', async () => {
    const check = login(X11_USER, 'ghx11');
    await check.nextEvent((e) => e.event === 'prompt');
    check.send(PASSWORD);
    await daemon.waitForOutput(/gh-x11 waiting/, 30_000);
    const out = daemon.cli.stderr();
    const env = /gh-x11 env uid=(\d+) display=(:\d+) pam-xdisplay=(\S*) xauthority=(\S+) type=(\S+) desktop=(\S+) current=(\S+) seat=(\S+) runtime=(\S+)/.exec(out);
    expect(env, out).not.toBeNull();
    const [, uid, display, pamDisplay, xauthority, type, desktop, current, seat, runtime] = env!;
    expect({ uid: Number(uid), pamDisplay, type, desktop, current, seat, runtime }).toEqual({
      uid: X11_USER.uid,
      pamDisplay: display,
      type: 'x11',
      desktop: 'ghx11',
      current: 'GhProbe:GNOME',
      seat: 'seat0',
      runtime: join(runtimeBase, String(X11_USER.uid)),
    });
    // The session's X client reached the display as the user, with the cookie it was given.
    expect(out).toContain('gh-x11 display connected');
    const started = daemon.logs().find((e) => e.event === 'x-server-started')!;
    expect(started).toMatchObject({ session: 'ghx11', display });

    // The cookie: in the user's runtime directory, the user's, 0600; the directory 0700.
    // PAM_XAUTHDATA at open_session was the cookie the session was given.
    const entry = execFileSync('xauth', ['-f', xauthority, 'nlist'], { encoding: 'utf8' }).trim().split(' ');
    expect(out).toContain(`gh-x11 pam-xauthdata=MIT-MAGIC-COOKIE-1:${entry.at(-1)}`);
    expect(entry.at(-1)).toMatch(/^[0-9a-f]{32}$/);
    const cookie = statSync(xauthority);
    expect({ uid: cookie.uid, mode: cookie.mode & 0o777 }).toEqual({ uid: X11_USER.uid, mode: 0o600 });
    expect(xauthority.startsWith(`${runtime}/`)).toBe(true);
    const runtimeStat = statSync(runtime);
    expect({ uid: runtimeStat.uid, mode: runtimeStat.mode & 0o777 }).toEqual({ uid: X11_USER.uid, mode: 0o700 });

    // The server takes the cookie and nothing else: root with a copy of it gets in,
    // root without it does not, and another user cannot read the file.
    const xdpyinfo = (prefix: string[], xauth: string) =>
      spawnSync('/usr/bin/env', [...prefix, `DISPLAY=${display}`, `XAUTHORITY=${xauth}`, 'xdpyinfo'], { encoding: 'utf8', timeout: 10_000 });
    expect(xdpyinfo([], xauthority).status).toBe(0);
    const empty = join(dir, 'empty-xauthority');
    writeFileSync(empty, '');
    expect(xdpyinfo([], empty).status).not.toBe(0);
    const other = xdpyinfo(['setpriv', `--reuid=${OTHER_USER.uid}`, `--regid=${OTHER_USER.uid}`, '--clear-groups', '/usr/bin/env'], xauthority);
    expect(other.status).not.toBe(0);
    expect(other.stderr).toMatch(/unable to open display/);

    // who / utmpdump see the session while it runs.
    const running = execFileSync('utmpdump', [utmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(running).toMatch(new RegExp(`^\\[7\\] \\[\\d+\\] \\[[^\\]]*\\] \\[${X11_USER.name}\\s*\\] \\[${display}\\s*\\] \\[${display}\\s*\\]`, 'm'));
    expect(execFileSync('who', [utmp], { encoding: 'utf8' })).toContain(X11_USER.name);
    expect(processesOf(X11_USER.uid).some((p) => p.includes('sleep 301'))).toBe(true);

    writeFileSync(join(dir, 'end-x11'), '');
    const result = await check.exited(30_000);
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    await daemon.waitForLog((e) => e.event === 'x-server-stopped');

    // Logout: no process of the user left (the one that left its session too), the
    // X server gone, the record closed, the cookie and runtime directory removed.
    expect(processesOf(X11_USER.uid)).toEqual([]);
    expect(daemon.logs()).toContainEqual(expect.objectContaining({ event: 'session-processes-ended', session: 'ghx11' }));
    expect(existsSync(`/proc/${started.pid as number}`)).toBe(false);
    expect(existsSync(xauthority)).toBe(false);
    expect(existsSync(runtime)).toBe(false);
    const after = execFileSync('utmpdump', [utmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(after).not.toMatch(/^\[7\]/m);
    expect(after).toMatch(new RegExp(`^\\[8\\] .*\\[${display}\\s*\\]`, 'm'));
    expect(execFileSync('who', [utmp], { encoding: 'utf8' })).not.toContain(X11_USER.name);
    // last(1) calls a logout in the current second "still running": read it a second later.
    await new Promise((r) => setTimeout(r, 1_100));
    const last = execFileSync('last', ['-w', '-f', wtmp], { encoding: 'utf8' });
    expect(last).toMatch(new RegExp(`^${X11_USER.name}\\s+${display}\\s+${display}\\s+.* - \\d\\d:\\d\\d`, 'm'));
    expect(last).not.toMatch(/still logged in/);
    assertNothingContains(result, [PASSWORD]);
  }, 60_000);

  it('Wayland: the compositor runs as the user with the XDG variables, its socket in the runtime directory; logout ends it', async () => {
    const check = login(WAYLAND_USER, 'ghsway');
    await check.nextEvent((e) => e.event === 'prompt');
    check.send(PASSWORD);
    await daemon.waitForOutput(/gh-wl compositor 1 display=wayland-\d+/, 30_000);
    const out = daemon.cli.stderr();
    const env = /gh-wl env uid=(\d+) type=(\S+) desktop=(\S+) current=(\S+) seat=(\S+) runtime=(\S+) display=(\S*)/.exec(out);
    expect(env, out).not.toBeNull();
    const [, uid, type, desktop, current, seat, runtime, xDisplay] = env!;
    expect({ uid: Number(uid), type, desktop, current, seat, runtime, xDisplay }).toEqual({
      uid: WAYLAND_USER.uid,
      type: 'wayland',
      desktop: 'ghsway',
      current: 'sway',
      seat: 'seat0',
      runtime: join(runtimeBase, String(WAYLAND_USER.uid)),
      xDisplay: '',
    });
    const waylandDisplay = /gh-wl compositor 1 display=(wayland-\d+)/.exec(out)![1]!;
    const socket = statSync(join(runtime, waylandDisplay));
    expect(socket.isSocket()).toBe(true);
    expect(socket.uid).toBe(WAYLAND_USER.uid);
    expect(readdirSync(runtime)).toContain(waylandDisplay);
    const running = execFileSync('utmpdump', [utmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(running).toMatch(new RegExp(`^\\[7\\] .*\\[${WAYLAND_USER.name}\\s*\\] \\[seat0\\s*\\]`, 'm'));
    expect(processesOf(WAYLAND_USER.uid).some((p) => /\bsway\b/.test(p))).toBe(true);

    writeFileSync(join(dir, 'end-wayland'), '');
    const result = await check.exited(30_000);
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    expect(processesOf(WAYLAND_USER.uid)).toEqual([]);
    expect(existsSync(runtime)).toBe(false);
    expect(readFileSync(wtmp).length).toBeGreaterThan(0);
    // last(1) calls a logout in the current second "still running": read it a second later.
    await new Promise((r) => setTimeout(r, 1_100));
    const last = execFileSync('last', ['-w', '-f', wtmp], { encoding: 'utf8' });
    expect(last).toMatch(new RegExp(`^${WAYLAND_USER.name}\\s+seat0\\s+.* - \\d\\d:\\d\\d`, 'm'));
    // No X server was started for it.
    expect(daemon.logs().filter((e) => e.event === 'x-server-started')).toHaveLength(1);
  }, 60_000);

  it('the greeter comes back: the daemon serves the next login after a session', async () => {
    const client = new RawClient(daemon.socketPath, GREETER);
    await client.connected;
    try {
      client.send({ type: 'hello' });
      expect(await client.next('context')).toMatchObject({ running: false });
    } finally {
      await client.close();
    }
  });

  it('a machine with no session installed: the daemon does not start, and says why', async () => {
    const empty = makeTempDir('gatehouse-no-sessions-');
    const config = join(dir, 'no-sessions.json');
    writeFileSync(config, JSON.stringify({ login: { records: null } }));
    const result = await runCli(['engine', '--socket', join(dir, 'none.sock'), '--client-user', USERS.greeter.name, '--config', config], {
      env: { XDG_DATA_DIRS: empty },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/login\.sessions: not set, and no desktop session is installed \(looked in .*wayland-sessions, .*xsessions\): install a desktop, or list sessions in login\.sessions/);
  });
});
