// `gatehouse polkit-agent --terminal --json` against the real polkitd, the real
// setuid polkit-agent-helper-1 and pkexec, on pam_unix, with test users: a user's
// shell runs pkexec, the agent registered for that shell answers from stdin.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as dbus from 'dbus-next';
import { PKEXEC_DISMISSED, PKEXEC_NOT_AUTHORIZED, PolkitLab, polkitLabUnavailable } from '../../../lab/polkit';
import { NEW_PASSWORD, PASSWORD, USERS } from '../../../lab/users';
import { assertNothingContains, type RunningCli } from '../../test/cli-process';
import { eventually, helperChildren, startTerminalAgent, UserShell } from './agent-harness';
import { RULES } from './pkexec-rules';

const USER = USERS.polkit;
const ADMIN_A = USERS.polkitAdminA;
const ADMIN_B = USERS.polkitAdminB;
const WRONG = 'Wr0ng-Pa55word-Typed';

const unavailable = polkitLabUnavailable();
if (unavailable !== undefined) console.warn(`SKIP polkit-agent with pkexec: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('polkit-agent with pkexec and the real polkitd', () => {
  let lab: PolkitLab;
  let shell: UserShell;
  let agent: RunningCli;
  const outputs: string[] = [];

  beforeAll(async () => {
    lab = await PolkitLab.start({ rules: RULES });
  });

  afterAll(async () => {
    await lab?.stop();
    // Nothing typed reaches any output: the agent's, pkexec's, polkitd's, the bus's.
    assertNothingContains({ stdout: outputs.join('\n'), stderr: lab?.output ?? '' }, [PASSWORD, NEW_PASSWORD, WRONG]);
  });

  afterEach(async () => {
    agent?.child.kill('SIGTERM');
    const result = await agent?.exited();
    shell?.stop();
    outputs.push(result?.stdout ?? '', result?.stderr ?? '', shell?.output ?? '');
  });

  async function setup(): Promise<void> {
    shell = new UserShell(lab, USER);
    agent = await startTerminalAgent(lab, USER, shell);
  }

  const action = () => agent.nextEvent((e) => e.event === 'action');
  const prompt = () => agent.nextEvent((e) => e.event === 'prompt');
  const outcome = () => agent.nextEvent((e) => e.event === 'outcome');

  it('the right password: pkexec runs the program (exit 0)', async () => {
    await setup();
    shell.run('pkexec /usr/bin/true');
    const asked = await action();
    expect(asked).toMatchObject({
      id: 'org.freedesktop.policykit.exec',
      message: expect.stringContaining('/usr/bin/true'),
      program: 'pkexec',
      identities: [{ name: USER.name, displayName: `gatehouse test ${USER.name}` }],
    });
    expect((asked.details as Record<string, string>)['Requested by']).toMatch(/^pkexec \(pid \d+\)$/);
    expect(await prompt()).toMatchObject({ style: 'echo-off', text: 'Password: ' });
    agent.send(PASSWORD);
    expect(await outcome()).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    expect((await shell.status()).status).toBe(0);
    // The agent relays answers: non-dumpable, so /proc/PID is root's, not the user's.
    expect(statSync(`/proc/${agent.child.pid!}/status`).uid).toBe(0);
  });

  it('a wrong password, then the right one: the failure is shown, then exit 0', async () => {
    await setup();
    shell.run('pkexec /usr/bin/true');
    await action();
    await prompt();
    agent.send(WRONG);
    expect(await agent.nextEvent((e) => e.event === 'result' && e.op === 'authenticate')).toMatchObject({
      ok: false,
      code: 'PAM_AUTH_ERR',
      message: 'Authentication failure',
    });
    expect(await prompt()).toMatchObject({ text: 'Password: ' });
    agent.send(PASSWORD);
    expect(await outcome()).toMatchObject({ ok: true });
    expect((await shell.status()).status).toBe(0);
  });

  it('three wrong passwords: not authorized (pkexec 127), and the agent serves the next request', async () => {
    await setup();
    shell.run('pkexec /usr/bin/true');
    await action();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await prompt();
      agent.send(`${WRONG}${attempt}`);
    }
    expect(await outcome()).toEqual({ event: 'outcome', ok: false, code: 'PAM_AUTH_ERR' });
    const refused = await shell.status();
    expect(refused.status).toBe(PKEXEC_NOT_AUTHORIZED);
    expect(shell.stderr).toContain('Not authorized');
    // Several requests in a row on one agent.
    shell.run('pkexec /usr/bin/true');
    await action();
    await prompt();
    agent.send(PASSWORD);
    expect(await outcome()).toMatchObject({ ok: true });
    expect((await shell.status()).status).toBe(0);
  });

  it('the end of the input dismisses the request (pkexec 126) and stops the agent', async () => {
    await setup();
    shell.run('pkexec /usr/bin/true');
    await action();
    await prompt();
    agent.child.stdin.end();
    expect(await outcome()).toEqual({ event: 'outcome', ok: false, code: 'CANCELLED' });
    expect((await shell.status()).status).toBe(PKEXEC_DISMISSED);
    expect(shell.stderr).toContain('Request dismissed');
    expect((await agent.exited()).status).toBe(0);
  });

  it('SIGTERM dismisses the request being shown, unregisters, and ends with 143', async () => {
    await setup();
    shell.run('pkexec /usr/bin/true');
    await prompt();
    agent.child.kill('SIGTERM');
    expect((await shell.status()).status).toBe(PKEXEC_DISMISSED);
    const ended = await agent.exited();
    expect(ended.status).toBe(143);
    // Unregistered: a new agent can take the same process.
    agent = await startTerminalAgent(lab, USER, shell);
  });

  it('auth_admin with two administrators: the choice is offered, the chosen one authenticates', async () => {
    await setup();
    shell.run('pkexec /usr/bin/id -u');
    const asked = await action();
    expect(asked.identities).toEqual([
      { name: ADMIN_A.name, displayName: `gatehouse test ${ADMIN_A.name}` },
      { name: ADMIN_B.name, displayName: `gatehouse test ${ADMIN_B.name}` },
    ]);
    expect(await prompt()).toEqual({ event: 'prompt', id: 'identity', style: 'echo-on', text: 'Choose the identity to authenticate as (1-2): ' });
    agent.send('3');
    expect(await agent.nextEvent((e) => e.event === 'message')).toMatchObject({ kind: 'error', text: 'Choose a number from 1 to 2.' });
    await prompt();
    agent.send('2');
    expect(await prompt()).toMatchObject({ style: 'echo-off', text: 'Password: ' });
    // The administrator's own password (B's differs from A's).
    agent.send(NEW_PASSWORD);
    expect(await outcome()).toMatchObject({ ok: true });
    const done = await shell.status();
    expect(done).toEqual({ status: 0, stdout: '0\n' });
  });

  it('the helper killed mid-conversation: the request fails cleanly; the next one works', async () => {
    await setup();
    shell.run('pkexec /usr/bin/true');
    await prompt();
    const helpers = helperChildren(agent.child.pid!);
    expect(helpers).toHaveLength(1);
    process.kill(helpers[0]!, 'SIGKILL');
    expect(await outcome()).toEqual({ event: 'outcome', ok: false, code: 'PAM_ABORT' });
    expect((await shell.status()).status).toBe(PKEXEC_NOT_AUTHORIZED);
    expect(agent.stderr()).toMatch(/"event":"polkit-helper","result":"broken".*"exit":"killed by SIGKILL"/);
    expect(helperChildren(agent.child.pid!)).toEqual([]);

    shell.run('pkexec /usr/bin/true');
    await prompt();
    agent.send(PASSWORD);
    expect(await outcome()).toMatchObject({ ok: true });
    expect((await shell.status()).status).toBe(0);
  });

  it('polkitd cancels the request when its caller goes away; the agent goes on', async () => {
    await setup();
    shell.run('pkexec /usr/bin/true');
    await prompt();
    const helpers = helperChildren(agent.child.pid!);
    // pkexec (setuid root) is the shell's child: ending it makes polkitd call CancelAuthentication.
    const pkexec = childrenOf(shell.pid);
    expect(pkexec).toHaveLength(1);
    process.kill(pkexec[0]!, 'SIGTERM');
    expect(await outcome()).toEqual({ event: 'outcome', ok: false, code: 'CANCELLED' });
    await shell.status();
    await eventually(() => helpers.every((pid) => !processExists(pid)), 'the helper to be stopped');

    shell.run('pkexec /usr/bin/true');
    await prompt();
    agent.send(PASSWORD);
    expect(await outcome()).toMatchObject({ ok: true });
    expect((await shell.status()).status).toBe(0);
  });

  it('two requests at once are shown one after the other', async () => {
    await setup();
    shell.run('pkexec /usr/bin/true & first=$!; pkexec /usr/bin/true; second=$?; wait $first; echo "both $? $second"');
    const one = await action();
    await prompt();
    agent.send(PASSWORD);
    expect(await outcome()).toMatchObject({ ok: true });
    const two = await action();
    expect(two.request).not.toBe(one.request);
    await prompt();
    agent.send(PASSWORD);
    expect(await outcome()).toMatchObject({ ok: true });
    expect((await shell.status()).stdout).toContain('both 0 0');
  });

  it('refuses BeginAuthentication from anyone but polkitd', async () => {
    await setup();
    const name = await busNameOf(lab.bus, agent.child.pid!);
    const call = lab.bus.call(
      new dbus.Message({
        destination: name,
        path: '/org/freedesktop/PolicyKit1/AuthenticationAgent',
        interface: 'org.freedesktop.PolicyKit1.AuthenticationAgent',
        member: 'BeginAuthentication',
        signature: 'sssa{ss}sa(sa{sv})',
        body: ['org.example.fake', 'Type your password here', '', {}, 'fake-cookie', [['unix-user', { uid: new dbus.Variant('u', USER.uid) }]]],
      }),
    );
    await expect(call).rejects.toMatchObject({ type: 'org.freedesktop.DBus.Error.AccessDenied' });
    expect(agent.stdout()).not.toContain('org.example.fake');
  });
});

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The unique bus name of the connection of process `pid`. */
async function busNameOf(bus: dbus.MessageBus, pid: number): Promise<string> {
  const call = (member: string, signature = '', body: unknown[] = []) =>
    bus.call(new dbus.Message({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member, signature, body }));
  const names = ((await call('ListNames'))?.body[0] as string[]).filter((name) => name.startsWith(':'));
  for (const name of names) {
    const owner = (await call('GetConnectionUnixProcessID', 's', [name]).catch(() => null))?.body[0];
    if (owner === pid) return name;
  }
  throw new Error(`no bus connection of process ${pid}`);
}
