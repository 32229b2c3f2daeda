// Sessions on a VT of their own (Wayland, tty), through the engine daemon, with real
// parts: `gatehouse engine` as root with login.vt, the greeter user's `gatehouse
// check --engine` logging a lab user in, sway with its headless backend as the
// compositor, the machine's real virtual terminals (/dev/tty0's VT ioctls,
// through gatehouse-vt) and /dev/ttyN.
//
// While the session runs, its VT is the active one (the greeter's is not), and
// the session's terminal — stdin, stdout, stderr and controlling terminal — is
// /dev/ttyN, owned by the user. After logout, the VT active before is active
// again and /dev/ttyN is root's, as it was. A tty session that leaves its VT in
// graphics mode with the keyboard off finds it a text console again after.
//
// The session uses a high VT nothing else uses. Whatever happens, afterAll makes
// the VT that was active before the suite active again. Where the machine has no
// VTs (a container: /dev/tty0 refuses the ioctls), the suite skips and says why.
// Where VT switching is locked (VT_LOCKSWITCH, which some consoles and screen
// lockers set), the suite unlocks it for its run and locks it again after.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { module } from '../../../lab/paths';
import { describeInEtcOverlay } from '../../../lab/skip';
import { makeTempDir } from '../../../lab/tmp';
import { PASSWORD, USERS } from '../../../lab/users';
import { startDaemon, type RunningDaemon } from '../../hosts/socket/test/daemon-process';
import { startCli } from '../../test/cli-process';
import { findVtHelper } from '../launch/session-vt';

const GREETER = { uid: USERS.greeter.uid, gid: USERS.greeter.uid };
const USER = USERS.desktopVt;
/** A VT no getty, X server or console uses. */
const SESSION_VT = 12;
const SESSION_TTY = `/dev/tty${SESSION_VT}`;

const helper = findVtHelper();

/** Why the suite cannot run here, or undefined when it can. */
function whyNot(): string | undefined {
  if (helper === undefined) return 'gatehouse-vt is not built (node scripts/build.mjs)';
  if (process.getuid?.() !== 0) return 'VT ioctls need root';
  const missing = ['/usr/bin/sway', '/usr/bin/perl'].filter((p) => !existsSync(p));
  if (missing.length > 0) return `${missing.join(', ')} not installed (build/apt-packages.txt)`;
  if (!existsSync(SESSION_TTY)) return `${SESSION_TTY} does not exist`;
  const active = spawnSync(helper, ['active'], { encoding: 'utf8' });
  if (active.status !== 0) return `no virtual terminals here (a container?): ${active.stderr.trim()}`;
  return undefined;
}

const reason = whyNot();
if (reason !== undefined) console.warn(`SKIP sessions on a VT: ${reason}`);

const vtHelper = (...args: string[]) => spawnSync(helper!, args, { encoding: 'utf8', timeout: 20_000 });
const activeVt = () => Number(execFileSync(helper!, ['active'], { encoding: 'utf8' }).trim());

/** VT_LOCKSWITCH / VT_UNLOCKSWITCH on /dev/tty0 (perl-base is essential on Debian; this is the test's only use of it). */
function setSwitchLock(locked: boolean): void {
  const request = locked ? 0x560b : 0x560c;
  execFileSync('perl', ['-e', `open(my $c, '+<', '/dev/tty0') or die "$!\\n"; ioctl($c, ${request}, 0) or die "$!\\n";`]);
}

/** KDGETMODE (0: text, 1: graphics) and KDGKBMODE (3: K_UNICODE, 4: K_OFF, ...) of a VT's tty. */
function consoleModes(tty: string): { display: number; keyboard: number } {
  const out = execFileSync('perl', [
    '-e',
    `open(my $t, '+<', '${tty}') or die "$!\n"; my ($d, $k) = (pack('l', 0), pack('l', 0)); ioctl($t, 0x4b3b, $d) or die "$!\n"; ioctl($t, 0x4b44, $k) or die "$!\n"; print unpack('l', $d), ' ', unpack('l', $k);`,
  ], { encoding: 'utf8' });
  const [display, keyboard] = out.split(' ').map(Number);
  return { display: display!, keyboard: keyboard! };
}

const describeVt = reason === undefined ? describeInEtcOverlay : describe.skip;

describeVt('sessions on a VT of their own', () => {
  let daemon: RunningDaemon;
  let dir = '';
  let probe = '';
  let before = 0;
  let ttyBefore: { uid: number; gid: number; mode: number } | undefined;
  let unlockedSwitching = false;
  let modesBefore: { display: number; keyboard: number } | undefined;

  beforeAll(async () => {
    before = activeVt();
    modesBefore = consoleModes(SESSION_TTY);
    const tty = statSync(SESSION_TTY);
    ttyBefore = { uid: tty.uid, gid: tty.gid, mode: tty.mode & 0o7777 };
    expect(before, 'the test VT is free').not.toBe(SESSION_VT);
    // Whether VT switching works here: a switch to the test VT and back. A
    // switch that never happens on a console in text mode means it is locked.
    let probeSwitch = vtHelper('switch', String(SESSION_VT), '1');
    if (probeSwitch.status !== 0 && /did not become active/.test(probeSwitch.stderr)) {
      console.info('sessions on a VT: VT switching is locked on this machine (VT_LOCKSWITCH): unlocked for this suite, locked again after');
      setSwitchLock(false);
      unlockedSwitching = true;
      probeSwitch = vtHelper('switch', String(SESSION_VT));
    }
    expect(probeSwitch.status, probeSwitch.stderr).toBe(0);
    expect(vtHelper('switch', String(before)).status).toBe(0);
    expect(activeVt()).toBe(before);

    dir = makeTempDir('gatehouse-vt-');
    probe = join(dir, 'probe');
    mkdirSync(probe);
    chownSync(probe, USER.uid, USER.uid);
    const swayConfig = join(dir, 'sway.conf');
    writeFileSync(
      swayConfig,
      [
        'xwayland disable',
        `exec sh -c 'echo "display=$WAYLAND_DISPLAY" > ${probe}/compositor; while [ ! -e ${dir}/end ]; do sleep 0.1; done; swaymsg exit'`,
      ].join('\n') + '\n',
    );
    // The session reports its terminal (stdin, and whether it has a controlling
    // one: only then does /dev/tty open), then becomes the compositor.
    const session = join(dir, 'wayland-session');
    writeFileSync(
      session,
      [
        '#!/bin/sh',
        'terminal="stdin=$(readlink /proc/$$/fd/0) stdout=$(readlink /proc/$$/fd/1) stderr=$(readlink /proc/$$/fd/2)"',
        `{ echo "uid=$(id -u) vtnr=$XDG_VTNR type=$XDG_SESSION_TYPE $terminal"; if (exec 3</dev/tty) 2>/dev/null; then echo "ctty=yes sid=$(cut -d' ' -f6 /proc/$$/stat) pid=$$"; else echo ctty=no; fi; } > ${probe}/session`,
        `exec env WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman sway -c ${swayConfig}`,
      ].join('\n') + '\n',
    );
    chmodSync(session, 0o755);
    // A tty session that does what a compositor does to its VT — graphics mode,
    // the keyboard off (allowed: the tty is its controlling terminal) — and is
    // then killed without putting them back.
    const ttySession = join(dir, 'tty-session');
    writeFileSync(
      ttySession,
      [
        '#!/bin/sh',
        `perl -e 'ioctl(STDIN, 0x4b3a, 1) or die "KDSETMODE: $!\\n"; ioctl(STDIN, 0x4b45, 4) or die "KDSKBMODE: $!\\n";' 2>${probe}/tty-error && echo graphics > ${probe}/tty`,
        `while [ ! -e ${dir}/end-tty ]; do sleep 0.1; done`,
        'kill -KILL $$',
      ].join('\n') + '\n',
    );
    chmodSync(ttySession, 0o755);

    const conf = makeConfDir({
      'vt-test': [`auth required ${module('pam_unix.so')} nodelay`, `account required ${module('pam_unix.so')}`, `session required ${module('pam_unix.so')}`].join('\n'),
    });
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        login: {
          sessions: [
            { id: 'ghvt', name: 'Sway on a VT', argv: [session], type: 'wayland' },
            { id: 'ghvttty', name: 'A console session', argv: [ttySession], type: 'tty' },
          ],
          vt: SESSION_VT, tty: `tty${SESSION_VT}`, runtimeDirBase: join(dir, 'run-user'), records: null },
        timeouts: { promptMs: 30_000 },
      }),
    );
    daemon = await startDaemon(
      join(dir, 'engine.sock'),
      ['--client-user', USERS.greeter.name, '--config', config, '--confdir', conf.dir, '--service', 'vt-test'],
    );
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    // Never leave the machine on the test's VT, in graphics mode, or with the tty
    // given away. The reset comes first: the kernel does not switch away from a
    // VT left in graphics mode.
    vtHelper('reset', String(SESSION_VT));
    if (before > 0 && activeVt() !== before) vtHelper('switch', String(before));
    if (ttyBefore !== undefined) {
      chownSync(SESSION_TTY, ttyBefore.uid, ttyBefore.gid);
      chmodSync(SESSION_TTY, ttyBefore.mode);
    }
    if (unlockedSwitching) setSwitchLock(true);
  });

  it('takes VT 12 for the session (its terminal, the user\'s) and gives the VT before back at logout', async () => {
    const check = startCli(['check', '--json', '--flow', 'login', '--engine', daemon.socketPath, '--user', USER.name, '--session', 'ghvt'], { as: GREETER });
    await check.nextEvent((e) => e.event === 'prompt');
    check.send(PASSWORD);
    await daemon.waitForLog((e) => e.event === 'vt-taken', 0, 30_000);
    const compositor = join(probe, 'compositor');
    const started = Date.now();
    while (!existsSync(compositor) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(compositor), daemon.cli.stderr()).toBe(true);
    expect(readFileSync(compositor, 'utf8')).toMatch(/^display=wayland-\d+$/m);

    // While it runs: the session's VT is the active one, not the greeter's.
    expect(activeVt()).toBe(SESSION_VT);
    expect(daemon.logs()).toContainEqual(expect.objectContaining({ event: 'vt-taken', session: 'ghvt', vt: SESSION_VT, previous: before }));
    const seen = readFileSync(join(probe, 'session'), 'utf8');
    expect(seen).toContain(`uid=${USER.uid} vtnr=${SESSION_VT} type=wayland stdin=${SESSION_TTY} stdout=${SESSION_TTY} stderr=${SESSION_TTY}`);
    // Its controlling terminal is the VT's tty, in a session of its own.
    const ctty = /ctty=yes sid=(\d+) pid=(\d+)/.exec(seen);
    expect(ctty, seen).not.toBeNull();
    expect(ctty![1]).toBe(ctty![2]);
    // The tty is the user's while the session runs, and nobody else may read it.
    const during = statSync(SESSION_TTY);
    expect(during.uid).toBe(USER.uid);
    expect(during.mode & 0o044).toBe(0);
    expect(during.mode & 0o600).toBe(0o600);

    writeFileSync(join(dir, 'end'), '');
    const result = await check.exited(30_000);
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    await daemon.waitForLog((e) => e.event === 'session-ended');

    // Logout: the VT active before is active again (the greeter's), the tty root's as it was.
    expect(activeVt()).toBe(before);
    expect(daemon.logs()).toContainEqual(expect.objectContaining({ event: 'vt-released', session: 'ghvt', vt: SESSION_VT, active: before }));
    const after = statSync(SESSION_TTY);
    expect({ uid: after.uid, gid: after.gid, mode: after.mode & 0o7777 }).toEqual({ uid: 0, gid: ttyBefore!.gid, mode: ttyBefore!.mode });
  }, 90_000);

  it('a session that leaves its VT in graphics mode with the keyboard off: logout gives the VT its text console back', async () => {
    const check = startCli(['check', '--json', '--flow', 'login', '--engine', daemon.socketPath, '--user', USER.name, '--session', 'ghvttty'], { as: GREETER });
    await check.nextEvent((e) => e.event === 'prompt');
    check.send(PASSWORD);
    const marker = join(probe, 'tty');
    const started = Date.now();
    while (!existsSync(marker) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(marker), `${daemon.cli.stderr()}\n${readFileSync(join(probe, 'tty-error'), 'utf8')}`).toBe(true);
    expect(activeVt()).toBe(SESSION_VT);
    expect(consoleModes(SESSION_TTY)).toEqual({ display: 1, keyboard: 4 });

    writeFileSync(join(dir, 'end-tty'), '');
    const result = await check.exited(30_000);
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    expect(activeVt()).toBe(before);
    expect(consoleModes(SESSION_TTY)).toEqual({ display: 0, keyboard: modesBefore!.keyboard });
    expect(statSync(SESSION_TTY).uid).toBe(0);
  }, 90_000);
});
