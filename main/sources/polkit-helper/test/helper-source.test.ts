// The helper source through the whole real chain (pkexec → polkitd → the agent
// → the setuid polkit-agent-helper-1 → PAM), with the project's scripted PAM
// module as the `polkit-1` stack: module texts that need the helper's escaping,
// answers the helper cannot take, an account PAM refuses, a module that hangs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PKEXEC_NOT_AUTHORIZED, PolkitLab, polkitLabUnavailable } from '../../../../lab/polkit';
import { module, SCRIPT_MODULE } from '../../../../lab/paths';
import { USERS } from '../../../../lab/users';
import { assertNothingContains, type RunningCli } from '../../../test/cli-process';
import { eventually, helperChildren, startTerminalAgent, UserShell } from '../../../polkit/test/agent-harness';
import { RULES } from '../../../polkit/test/pkexec-rules';

const USER = USERS.polkitScript;
const SECRET = 's3cret answer, typed';

const unavailable = polkitLabUnavailable();
if (unavailable !== undefined) console.warn(`SKIP the polkit helper source: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('the polkit-agent-helper-1 source on a scripted PAM stack', () => {
  let lab: PolkitLab;
  let shell: UserShell;
  let agent: RunningCli;
  const outputs: string[] = [];
  const script = (text: string) => writeFileSync(join(lab.dir, 'polkit.script'), text.replace(/^\s+/gm, ''));

  beforeAll(async () => {
    lab = await PolkitLab.start({ rules: RULES });
    lab.setPamStack(
      [
        `auth required ${SCRIPT_MODULE} script=${join(lab.dir, 'polkit.script')}`,
        `account required ${SCRIPT_MODULE} script=${join(lab.dir, 'polkit.script')}`,
        `session required ${module('pam_permit.so')}`,
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await lab?.stop();
    assertNothingContains({ stdout: outputs.join('\n'), stderr: lab?.output ?? '' }, [SECRET, 'x'.repeat(100)]);
  });

  afterEach(async () => {
    agent?.child.kill('SIGTERM');
    const result = await agent?.exited();
    shell?.stop();
    outputs.push(result?.stdout ?? '', result?.stderr ?? '', shell?.output ?? '');
  });

  async function setup(extra: string[] = []): Promise<void> {
    shell = new UserShell(lab, USER);
    agent = await startTerminalAgent(lab, USER, shell, extra);
  }

  const next = (event: string) => agent.nextEvent((e) => e.event === event);

  it("relays the module's texts exactly through the helper's escaping, and the answers back", async () => {
    script(`
      [auth]
      msg info "Tab\\there, a quote \\" and a backslash \\\\ at the end"
      msg error "First line\\nsecond line"
      msg info "Gr\\xc3\\xbc\\xc3\\x9fe \\xe2\\x9c\\x93 and an escape \\x1b[31m"
      msg info "one trailing newline goes\\n"
      send
      msg echo-on "Your name, please: "
      send
      expect-answer 0 "${USER.name}"
      msg echo-off "Secret: "
      send
      expect-answer 0 "${SECRET}"
    `);
    await setup();
    shell.run('pkexec /usr/bin/true');
    expect(await next('message')).toEqual({ event: 'message', kind: 'info', text: 'Tab\there, a quote " and a backslash \\ at the end' });
    expect(await next('message')).toEqual({ event: 'message', kind: 'error', text: 'First line\nsecond line' });
    expect(await next('message')).toEqual({ event: 'message', kind: 'info', text: 'Grüße ✓ and an escape \u001b[31m' });
    expect(await next('message')).toEqual({ event: 'message', kind: 'info', text: 'one trailing newline goes' });
    expect(await next('prompt')).toMatchObject({ style: 'echo-on', text: 'Your name, please: ' });
    agent.send(USER.name);
    expect(await next('prompt')).toMatchObject({ style: 'echo-off', text: 'Secret: ' });
    agent.send(SECRET);
    expect(await next('outcome')).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    expect((await shell.status()).status).toBe(0);
  });

  it('refuses an answer longer than the helper reads as one line, and asks again', async () => {
    script(`
      [auth]
      msg echo-off "Code: "
      send
      expect-answer 0 "fits"
    `);
    await setup();
    shell.run('pkexec /usr/bin/true');
    const first = await next('prompt');
    // 511 bytes: within the protocol's 512, beyond the helper's 510.
    agent.send('x'.repeat(511));
    expect(await next('message')).toEqual({
      event: 'message',
      kind: 'error',
      text: 'The authentication helper takes answers of at most 510 bytes. Try again.',
    });
    const again = await next('prompt');
    expect(again).toMatchObject({ text: 'Code: ' });
    expect(again.id).not.toBe(first.id);
    agent.send('fits');
    expect(await next('outcome')).toMatchObject({ ok: true });
    expect((await shell.status()).status).toBe(0);
  });

  it('an account PAM refuses after the authentication: the attempts end as not authorized', async () => {
    script(`
      [auth]
      return success
      [account]
      return acct_expired
    `);
    await setup();
    shell.run('pkexec /usr/bin/true');
    expect(await agent.nextEvent((e) => e.event === 'result' && e.op === 'acct_mgmt')).toMatchObject({
      ok: false,
      code: 'PAM_ACCT_EXPIRED',
      message: 'User account has expired',
    });
    expect(await next('outcome')).toEqual({ event: 'outcome', ok: false, code: 'PAM_ACCT_EXPIRED' });
    const results = agent.stdout().split('\n').filter((line) => line.includes('"op":"acct_mgmt"'));
    expect(results).toHaveLength(3);
    expect((await shell.status()).status).toBe(PKEXEC_NOT_AUTHORIZED);
  });

  it('a module that hangs: the silent helper is stopped and the request ends', async () => {
    script(`
      [auth]
      msg info "Touch the security key"
      send
      hang
    `);
    await setup(['--helper-timeout', '1000']);
    shell.run('pkexec /usr/bin/true');
    expect(await next('message')).toMatchObject({ text: 'Touch the security key' });
    expect(await next('outcome')).toEqual({ event: 'outcome', ok: false, code: 'PAM_ABORT' });
    expect((await shell.status()).status).toBe(PKEXEC_NOT_AUTHORIZED);
    await eventually(() => helperChildren(agent.child.pid!).length === 0, 'the helper to be gone');
    expect(agent.stderr()).toContain('the authentication helper did not answer within 1 s');
  });
});
