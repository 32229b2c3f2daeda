// The VT part of the launcher on its own: gatehouse-vt's command line, and
// takeVt undoing what it did when the switch fails. The VT ioctls themselves are
// tested through the engine daemon (session-vt.test.ts); here the helper is a
// script standing in for gatehouse-vt (the launcher's own seam: the helper's
// path) and the tty a character device node (/dev/null's numbers) in a
// directory of the test's own, so no VT of the machine is touched.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../lab/tmp';
import { findVtHelper, takeVt, ttyGroupId } from '../launch/session-vt';

const helper = findVtHelper();
const isRoot = process.getuid?.() === 0;
if (helper === undefined) console.warn('SKIP gatehouse-vt command line: not built (node scripts/build.mjs)');
if (!isRoot) console.warn('SKIP takeVt: it needs root (mknod, chown)');

describe.skipIf(helper === undefined)('gatehouse-vt command line', () => {
  it.each([
    [[], /give active, switch or reset/],
    [['hop', '2'], /unknown command/],
    [['active', '2'], /active takes no argument/],
    [['switch'], /give one VT number/],
    [['switch', '0'], /from 1 to 63/],
    [['switch', '64'], /from 1 to 63/],
    [['switch', '2x'], /from 1 to 63/],
    [['switch', '2', '0'], /timeout is a number of seconds/],
    [['switch', '2', '-1'], /timeout is a number of seconds/],
    [['reset', '2', '5'], /give one VT number/],
  ])('refuses %j with exit status 2 and says why', (args, why) => {
    const result = spawnSync(helper!, args as string[], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(why);
    expect(result.stderr).toMatch(/^usage: gatehouse-vt/m);
  });
});

describe.skipIf(!isRoot)('takeVt', () => {
  const setUp = (switchFails: boolean) => {
    const dir = makeTempDir('gatehouse-vt-parts-');
    const calls = join(dir, 'calls');
    const fake = join(dir, 'fake-vt');
    writeFileSync(
      fake,
      [
        '#!/bin/sh',
        `echo "$*" >> ${calls}`,
        'case "$1" in',
        '  active) echo 3 ;;',
        switchFails ? '  switch) [ "$2" = 3 ] || { echo "gatehouse-vt: VT $2 did not become active within 10 s" >&2; exit 1; } ;;' : '  switch) ;;',
        'esac',
      ].join('\n') + '\n',
    );
    chmodSync(fake, 0o755);
    execFileSync('mknod', ['-m', '0600', join(dir, 'tty9'), 'c', '1', '3']);
    return { dir, calls, fake, tty: join(dir, 'tty9') };
  };

  it('hands the tty to the user as login(1) does, switches, and at release resets, gives the tty back and switches back', async () => {
    const { dir, calls, fake, tty } = setUp(false);
    const vt = await takeVt({ vt: 9, account: { uid: 65534 }, helper: fake, devDir: dir });
    expect({ vt: vt.vt, previous: vt.previous }).toEqual({ vt: 9, previous: 3 });
    const during = statSync(tty);
    const ttyGid = ttyGroupId();
    expect({ uid: during.uid, mode: during.mode & 0o7777 }).toEqual({ uid: 65534, mode: ttyGid === undefined ? 0o600 : 0o620 });
    if (ttyGid !== undefined) expect(during.gid).toBe(ttyGid);
    await vt.release();
    const after = statSync(tty);
    expect({ uid: after.uid, gid: after.gid, mode: after.mode & 0o7777 }).toEqual({ uid: 0, gid: 0, mode: 0o600 });
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(['active', 'switch 9', 'reset 9', 'switch 3']);
  });

  it('a switch that fails: rejects with the helper\'s reason, the tty back as it was, the previous VT asked for again', async () => {
    const { dir, calls, fake, tty } = setUp(true);
    await expect(takeVt({ vt: 9, account: { uid: 65534 }, helper: fake, devDir: dir })).rejects.toThrow(/VT 9 did not become active/);
    const after = statSync(tty);
    expect({ uid: after.uid, gid: after.gid, mode: after.mode & 0o7777 }).toEqual({ uid: 0, gid: 0, mode: 0o600 });
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(['active', 'switch 9', 'switch 3']);
  });

  it('something that is not a terminal device is refused before anything changes', async () => {
    const { dir, calls, fake } = setUp(false);
    writeFileSync(join(dir, 'tty8'), '');
    await expect(takeVt({ vt: 8, account: { uid: 65534 }, helper: fake, devDir: dir })).rejects.toThrow(/is not a terminal/);
    expect(statSync(join(dir, 'tty8')).uid).toBe(0);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(['active']);
  });
});
