// The elevate flow end to end (root, /etc overlay, pam_unix), configured through
// the config file: admin identities from the admin group, the requesting user
// otherwise, the approved command and its exit status, the expired-password change.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { describeInEtcOverlay } from '../../../lab/skip';
import { unixStack } from '../../../lab/stacks';
import { makeTempDir } from '../../../lab/tmp';
import { ADMIN_GROUP, NEW_PASSWORD, PASSWORD, USERS, WEAK_PASSWORD } from '../../../lab/users';
import { engineOptionsFor, loadConfig } from '../../config';
import type { ConfigOverrides } from '../../config';
import { drive } from './driver';
import type { Driver } from './driver';

const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

function elevateDriver(elevate: ConfigOverrides['elevate'], user?: string): Driver {
  const conf = makeConfDir({ 'gatehouse-elevate': unixStack({ failDelayUs: 100_000 }) });
  const file = join(makeTempDir('gatehouse-config-'), 'config.json');
  writeFileSync(file, JSON.stringify({ confDir: conf.dir, elevate }));
  const options = engineOptionsFor(loadConfig({ path: file }), 'elevate', user === undefined ? {} : { user });
  const d = drive(options);
  drivers.push(d);
  return d;
}

describeInEtcOverlay('elevate', () => {
  it('as root with an admin group: offers the admins, and only a member may confirm', async () => {
    const d = elevateDriver({ adminGroup: ADMIN_GROUP.name, action: 'Install updates', program: 'apt' });
    d.send({ type: 'hello' });
    expect(await d.next('context')).toMatchObject({
      mode: 'elevate',
      users: [{ name: USERS.admin.name }],
      elevate: { action: 'Install updates', program: 'apt' },
    });
    expect(d.events.find((e) => e.type === 'context')).not.toHaveProperty('user');

    d.send({ type: 'begin' });
    expect((await d.next('refused')).message).toBe('choose who confirms (begin.user)');

    d.send({ type: 'begin', user: USERS.plain.name });
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
    expect(d.results).toEqual([]); // turned away before PAM

    d.send({ type: 'begin', user: USERS.admin.name });
    await d.answerNext(PASSWORD);
    expect(await d.next('outcome')).toMatchObject({ ok: true, reason: 'approved' });
    expect(d.outcomes.at(-1)).toMatchObject({ mode: 'elevate', user: USERS.admin.name, ok: true });
  });

  it('without an admin group the requesting user confirms, and nobody else', async () => {
    const d = elevateDriver({ adminGroup: null }, USERS.plain.name);
    d.send({ type: 'hello' });
    expect(await d.next('context')).toMatchObject({ user: USERS.plain.name, users: [] });
    d.send({ type: 'begin', user: USERS.admin.name });
    expect((await d.next('refused')).message).toBe('the user cannot be chosen here');
    d.send({ type: 'begin' });
    await d.answerNext(PASSWORD);
    expect(await d.next('outcome')).toMatchObject({ ok: true });
  });

  it('runs the approved command after pam_end and reports its exit status', async () => {
    const marker = join(makeTempDir('gatehouse-approved-'), 'ran');
    const d = elevateDriver({ adminGroup: null, command: ['/bin/sh', '-c', `id -u > ${marker}; exit 3`] }, USERS.plain.name);
    d.send({ type: 'begin' });
    await d.answerNext(PASSWORD);
    expect(await d.next('outcome')).toMatchObject({ ok: true, reason: 'approved; the command exited with status 3' });
    expect(d.outcomes[0]).toMatchObject({ exitStatus: 3 });
    expect(d.results.at(-1)).toMatchObject({ op: 'end', ok: true });
    expect(readFileSync(marker, 'utf8').trim()).toBe(String(process.getuid?.()));
  });

  it('does not run the command when the password is wrong', async () => {
    const marker = join(makeTempDir('gatehouse-approved-'), 'ran');
    const d = elevateDriver({ adminGroup: null, command: ['/bin/sh', '-c', `touch ${marker}`] }, USERS.plain.name);
    d.send({ type: 'begin' });
    await d.answerNext('Wrong-Horse-Battery');
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR' });
    expect(existsSync(marker)).toBe(false);
  });

  it('changes an expired password before approving', async () => {
    const d = elevateDriver({ adminGroup: null }, USERS.expiredElevate.name);
    d.send({ type: 'begin' });
    await d.answerNext(PASSWORD);
    expect(await d.answerNext(PASSWORD)).toMatchObject({ text: 'Current password: ' });
    await d.answerNext(WEAK_PASSWORD);
    await d.answerNext(NEW_PASSWORD);
    expect(await d.answerNext(NEW_PASSWORD)).toMatchObject({ text: 'Retype new password: ' });
    expect(await d.next('outcome')).toMatchObject({ ok: true, reason: 'approved' });
    expect(d.transcript()).toContain('phase change-password');
  });
});
