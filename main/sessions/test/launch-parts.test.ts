// The parts of the desktop session launcher on their own, with the real tools
// that read what they write: xauth(1) reads the Xauthority files, utmpdump and
// last read the records gatehouse-login-record writes, and the runtime
// directory's rules (as root, in a directory of the test's own).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../lab/tmp';
import { findRecordHelper, recordId, writeLoginRecord } from '../launch/login-records';
import { sessionRuntimeDir } from '../launch/runtime-dir';
import { endSessionProcesses, findSessionProcesses, SESSION_MARKER } from '../launch/session-processes';
import { MIT_MAGIC_COOKIE, newCookie, writeXauthority } from '../launch/x-authority';

const isRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };
const helper = findRecordHelper();
if (helper === undefined) console.warn('SKIP login records: gatehouse-login-record is not built (node scripts/build.mjs)');
if (!isRoot) console.warn('SKIP runtime directories and session processes: they need root (owners of other users)');

describe('Xauthority files', () => {
  it('xauth reads the entry: any host, the display, MIT-MAGIC-COOKIE-1 and the cookie', () => {
    const dir = makeTempDir('gatehouse-xauth-');
    const cookie = newCookie();
    expect(cookie).toHaveLength(16);
    const file = join(dir, 'auth');
    const me = { uid: process.getuid!(), gid: process.getgid!() };
    writeXauthority(file, 7, cookie, me);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const listed = execFileSync('xauth', ['-f', file, 'nlist'], { encoding: 'utf8' }).trim();
    // nlist: family(ffff = FamilyWild) address-length address number-length number name-length name data-length data
    const hex = Buffer.from(MIT_MAGIC_COOKIE).toString('hex');
    expect(listed).toBe(`ffff 0000  0001 37 0012 ${hex} 0010 ${cookie.toString('hex')}`);
  });

  it('never writes through something already at the path', () => {
    const dir = makeTempDir('gatehouse-xauth-');
    const target = join(dir, 'target');
    writeFileSync(target, 'keep');
    const link = join(dir, 'auth');
    symlinkSync(target, link);
    expect(() => writeXauthority(link, 1, newCookie(), { uid: process.getuid!(), gid: process.getgid!() })).toThrow(/EEXIST/);
    expect(() => writeXauthority(target, 1, newCookie(), { uid: process.getuid!(), gid: process.getgid!() })).toThrow(/EEXIST/);
  });
});

describe.skipIf(helper === undefined)('gatehouse-login-record', () => {
  it('opens a USER_PROCESS record and closes it with a DEAD_PROCESS one; who and last agree', async () => {
    const dir = makeTempDir('gatehouse-records-');
    const files = { utmp: join(dir, 'utmp'), wtmp: join(dir, 'wtmp') };
    const record = { user: 'ghrecord', line: ':12', pid: process.pid, host: ':12' };
    await writeLoginRecord(helper!, files, 'open', record);
    expect(execFileSync('utmpdump', [files.utmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).toMatch(
      new RegExp(`^\\[7\\] \\[0*${process.pid}\\] \\[:12 *\\] \\[ghrecord *\\] \\[:12 *\\] \\[:12 *\\]`, 'm'),
    );
    expect(execFileSync('who', [files.utmp], { encoding: 'utf8' })).toMatch(/^ghrecord\s+:12/m);
    expect(execFileSync('last', ['-w', '-f', files.wtmp], { encoding: 'utf8' })).toMatch(/^ghrecord\s+:12.*(still logged in|gone - no logout)/m); // no logout yet
    await writeLoginRecord(helper!, files, 'close', record);
    expect(execFileSync('who', [files.utmp], { encoding: 'utf8' })).toBe('');
    // wtmp: the login, then its end (last(1), which calls a logout in the current
    // second "still running", reads them in the daemon's suite).
    const wtmp = execFileSync('utmpdump', [files.wtmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    expect(wtmp.map((line) => line.slice(0, 3))).toEqual(['[7]', '[8]']);
    expect(wtmp[1]).toMatch(new RegExp(`^\\[8\\] \\[0*${process.pid}\\] \\[:12 *\\] \\[ *\\] \\[:12 *\\]`));
  });

  it('refuses what does not fit a record, and bad command lines, saying why', async () => {
    const dir = makeTempDir('gatehouse-records-');
    const files = { utmp: join(dir, 'utmp'), wtmp: join(dir, 'wtmp') };
    await expect(writeLoginRecord(helper!, files, 'open', { user: 'x'.repeat(40), line: 'tty9', pid: 1 })).rejects.toThrow(/--user is longer than 32 bytes/);
    const bad = (args: string[]) => {
      try {
        execFileSync(helper!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        return 0;
      } catch (error) {
        return (error as { status: number }).status;
      }
    };
    expect(bad([])).toBe(2);
    expect(bad(['open', '--utmp', files.utmp])).toBe(2);
    expect(bad(['open', '--utmp', files.utmp, '--wtmp', files.wtmp, '--user', 'u', '--line', 'l', '--id', 'l', '--pid', 'x'])).toBe(2);
    expect(recordId('tty7')).toBe('tty7');
    expect(recordId('seat0')).toBe('eat0');
  });
});

describe.skipIf(!isRoot)('runtime directories', () => {
  it('uses pam_systemd’s when it is the user’s, else makes BASE/UID 0700 for the user and removes it', () => {
    const base = join(makeTempDir('gatehouse-runtime-'), 'run-user');
    const made = sessionRuntimeDir(undefined, NOBODY, base);
    expect(made.made).toBe(true);
    expect(made.path).toBe(join(base, '65534'));
    const stat = lstatSync(made.path);
    expect({ uid: stat.uid, mode: stat.mode & 0o777 }).toEqual({ uid: 65534, mode: 0o700 });
    // pam_systemd's (here: the one just made) is used and kept.
    const fromPam = sessionRuntimeDir(made.path, NOBODY, join(base, 'elsewhere'));
    expect({ path: fromPam.path, made: fromPam.made }).toEqual({ path: made.path, made: false });
    // The user's files in it go too, removed as the user: a link planted there
    // is removed, not followed.
    const outside = join(makeTempDir('gatehouse-runtime-'), 'keep');
    writeFileSync(outside, 'keep');
    execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', `mkdir ${made.path}/d && touch ${made.path}/d/f && ln -s ${outside} ${made.path}/link`]);
    made.remove();
    expect(existsSync(made.path)).toBe(false);
    expect(existsSync(outside)).toBe(true);
  });

  it('refuses a directory at BASE/UID that is not the user’s, and ignores a PAM one that is not', () => {
    const base = makeTempDir('gatehouse-runtime-');
    mkdirSync(join(base, '65534'), { mode: 0o700 }); // root's
    expect(() => sessionRuntimeDir(undefined, NOBODY, base)).toThrow(/is not the user's/);
    const other = makeTempDir('gatehouse-runtime-');
    const chosen = sessionRuntimeDir(base, NOBODY, other); // base is root's: not taken from PAM
    expect(chosen.path).toBe(join(other, '65534'));
    chosen.remove();
  });
});

describe.skipIf(!isRoot)('ending a session’s processes', () => {
  it('ends the session’s process group, and a process that left it but carries the marker; nothing else', async () => {
    const marker = 'test-marker-' + process.pid;
    const leader = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', 'sleep 300 & setsid sleep 301 & sleep 302; wait'], {
      detached: true,
      stdio: 'ignore',
      env: { PATH: '/usr/bin:/bin', [SESSION_MARKER]: marker },
    });
    // Another process of the same user, not of the session.
    const stranger = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sleep', '303'], { detached: true, stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } });
    const session = { uid: 65534, sid: leader.pid!, marker };
    for (let i = 0; i < 100 && findSessionProcesses(session).length < 4; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(findSessionProcesses(session).length).toBe(4); // sh, three sleeps
    const ended = await endSessionProcesses(session, 1_000);
    expect(ended).toHaveLength(4);
    expect(findSessionProcesses(session)).toEqual([]);
    expect(existsSync(`/proc/${stranger.pid}`)).toBe(true);
    stranger.kill('SIGKILL');
  });
});
