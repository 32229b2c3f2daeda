// The login flow end to end (root, /etc overlay): pam_unix, pam_env in the
// session group, and a session command that reports who it runs as (uid, gid,
// supplementary groups), where, and with which environment.
import { testLocaleProblem } from '../../../lab/locales';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { describeInEtcOverlay } from '../../../lab/skip';
import { scriptStack, sessionStack } from '../../../lab/stacks';
import { homeOf, NEW_PASSWORD, PASSWORD, SHARED_GROUP, USERS, WEAK_PASSWORD } from '../../../lab/users';
import type { LoginSettings } from '../api';
import { drive, logEntries } from './driver';
import type { Driver } from './driver';

const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

const TTY = 'tty7';
const DISPLAY = ':7';

/** Writes what the session sees to $HOME/probe.out (so a wrong HOME shows too), then exits 7. */
const PROBE = [
  '/bin/sh',
  '-c',
  'exec > "$HOME/probe.out"; echo "uid=$(id -u)"; echo "gid=$(id -g)"; echo "groups=$(id -G)"; echo "cwd=$(pwd)"; env; exit 7',
];

function loginDriver(sessionCommand: string[] = PROBE): { d: Driver; env: ReturnType<typeof sessionStack>['env'] } {
  const stack = sessionStack(TTY, { failDelayUs: 100_000 });
  // The scripted module exports PAM_XDISPLAY as open_session sees it.
  const xdisplay = scriptStack({ open_session: 'export-item xdisplay GATEHOUSE_LAB_XDISPLAY' })
    .split('\n')
    .filter((line) => line.startsWith('session'));
  const conf = makeConfDir({ 'gatehouse-login': [stack.service, ...xdisplay].join('\n') });
  const login: LoginSettings = {
    sessions: [
      { id: 'probe', name: 'Probe', command: sessionCommand },
      { id: 'other', name: 'Other', command: ['/bin/true'] },
    ],
    sessionType: 'tty',
    sessionClass: 'user',
    seat: 'seat0',
    vtnr: 7,
    tty: TTY,
    display: DISPLAY,
  };
  const d = drive({ mode: 'login', service: 'gatehouse-login', confDir: conf.dir, login });
  drivers.push(d);
  return { d, env: stack.env };
}

function probeOf(user: { name: string; uid: number }): { fields: Record<string, string>; env: Record<string, string> } {
  const file = join(homeOf(user as never, process.env.GATEHOUSE_LAB_HOMES ?? ''), 'probe.out');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  rmSync(file);
  const fields: Record<string, string> = {};
  const env: Record<string, string> = {};
  lines.forEach((line, i) => {
    const eq = line.indexOf('=');
    (i < 4 ? fields : env)[line.slice(0, eq)] = line.slice(eq + 1);
  });
  return { fields, env };
}

describeInEtcOverlay('login', () => {
  it('runs the session command as the user: uid, gid, supplementary groups, home, PAM environment', async () => {
    const user = USERS.session;
    const { d, env } = loginDriver();
    d.send({ type: 'begin', user: user.name, session: 'probe' });
    await d.answerNext(PASSWORD);
    expect(await d.next('outcome')).toMatchObject({ ok: true, code: 'PAM_SUCCESS', reason: 'the session has ended' });
    expect(d.outcomes).toMatchObject([{ mode: 'login', user: user.name, ok: true, exitStatus: 7 }]);
    expect(d.results.map((r) => `${r.op} ${r.code}`)).toEqual([
      'start PAM_SUCCESS',
      'authenticate PAM_SUCCESS',
      'acct_mgmt PAM_SUCCESS',
      'setcred PAM_SUCCESS',
      'open_session PAM_SUCCESS',
      'close_session PAM_SUCCESS',
      'setcred PAM_SUCCESS',
      'end PAM_SUCCESS',
    ]);
    expect(d.transcript()).toContain('phase session');

    const probe = probeOf(user);
    const home = homeOf(user, process.env.GATEHOUSE_LAB_HOMES ?? '');
    expect(probe.fields.uid).toBe(String(user.uid));
    expect(probe.fields.gid).toBe(String(user.uid));
    expect(probe.fields.groups!.split(' ').sort()).toEqual([String(user.uid), String(SHARED_GROUP.gid)].sort());
    expect(probe.fields.cwd).toBe(home);
    expect(probe.env).toMatchObject({
      HOME: home,
      SHELL: '/bin/sh',
      USER: user.name,
      LOGNAME: user.name,
      PATH: '/usr/local/bin:/usr/bin:/bin',
      XDG_SESSION_CLASS: 'user',
      XDG_SEAT: 'seat0',
      XDG_VTNR: '7',
      XDG_SESSION_TYPE: 'tty',
      GATEHOUSE_LAB_XDISPLAY: DISPLAY,
      ...env,
    });
    // Nothing of the engine's own environment leaks into the session.
    expect(probe.env.GATEHOUSE_ETC_OVERLAY).toBeUndefined();
    expect(logEntries(d.logs, 'session-ended')).toMatchObject([{ session: 'probe', exitStatus: 7 }]);
  });

  it('the language chosen on the screen: PAM speaks it, and the session gets it as LANG', async () => {
    const user = USERS.session;
    const { d } = loginDriver();
    d.send({ type: 'begin', user: user.name, session: 'probe', locale: 'de' });
    // libpam's own prompt, translated on the transaction's thread (where de_DE.UTF-8 is installed).
    const prompt = await d.answerNext(PASSWORD);
    if (testLocaleProblem() === undefined) expect(prompt.text).toBe('Passwort: ');
    expect(await d.next('outcome')).toMatchObject({ ok: true });
    const { env } = probeOf(user);
    expect(env).toMatchObject({ LANG: 'de_DE.UTF-8' });
    expect(env.LANGUAGE).toBeUndefined();
  });

  it('lets PAM ask for the user name when the UI names nobody', async () => {
    const user = USERS.session;
    const { d } = loginDriver(['/bin/true']);
    d.send({ type: 'begin' });
    expect(await d.next('phase')).toMatchObject({ name: 'identify' });
    expect(await d.answerNext(user.name)).toMatchObject({ style: 'echo-on', text: 'login:' });
    await d.answerNext(PASSWORD);
    expect(await d.next('outcome')).toMatchObject({ ok: true });
    expect(d.outcomes[0]).toMatchObject({ user: user.name, exitStatus: 0 });
  });

  it('never logs a name typed at PAM\'s prompt when authentication fails (it may be a password)', async () => {
    const { d } = loginDriver(['/bin/true']);
    d.send({ type: 'begin' });
    await d.answerNext(PASSWORD); // typed into the user name field by mistake
    await d.answerNext('anything');
    expect(await d.next('outcome')).toMatchObject({ ok: false });
    expect(d.outcomes[0]!.user).toBeUndefined();
    expect(logEntries(d.logs, 'attempt')).toMatchObject([{ user: null, ok: false }]);
    expect(d.logs.join('\n')).not.toContain(PASSWORD);
  });

  it('changes an expired password, then starts the session', async () => {
    const user = USERS.expiredLogin;
    const { d } = loginDriver();
    d.send({ type: 'begin', user: user.name });
    await d.answerNext(PASSWORD);
    await d.answerNext(PASSWORD); // Current password
    await d.answerNext(WEAK_PASSWORD);
    await d.answerNext(NEW_PASSWORD);
    await d.answerNext(NEW_PASSWORD);
    expect(await d.next('outcome')).toMatchObject({ ok: true });
    expect(d.transcript()).toContain('message error BAD PASSWORD: The password is shorter than 12 characters');
    expect(probeOf(user).fields.uid).toBe(String(user.uid));
  });

  it('refuses cancel while the session runs; closing the engine ends the session and cleans up', async () => {
    const user = USERS.session;
    const { d } = loginDriver(['/bin/sleep', '60']);
    d.send({ type: 'begin', user: user.name });
    await d.answerNext(PASSWORD);
    while ((await d.next('phase')).name !== 'session');
    await new Promise((r) => setTimeout(r, 300));
    d.send({ type: 'cancel' });
    expect((await d.next('refused')).request).toBe('cancel');
    await d.close();
    expect(d.outcomes[0]).toMatchObject({ ok: true, exitStatus: 143 });
    expect(d.results.slice(-3).map((r) => `${r.op} ${r.code}`)).toEqual([
      'close_session PAM_SUCCESS',
      'setcred PAM_SUCCESS',
      'end PAM_SUCCESS',
    ]);
  });

  it('reports a session command that cannot start, after closing the session', async () => {
    const { d } = loginDriver(['/nonexistent/session']);
    d.send({ type: 'begin', user: USERS.session.name });
    await d.answerNext(PASSWORD);
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'SESSION_FAILED' });
    expect(logEntries(d.logs, 'session-start-failed')).toMatchObject([{ session: 'probe', error: 'ENOENT' }]);
    expect(d.results.slice(-3).map((r) => r.op)).toEqual(['close_session', 'setcred', 'end']);
  });
});
