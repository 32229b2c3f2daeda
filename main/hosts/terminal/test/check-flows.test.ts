// `gatehouse check --flow MODE` as a real process: each engine flow driven from
// stdin, on pam_matrix (any user) and, inside the /etc overlay, on real pam_unix
// stacks with the lab's test users.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeConfDir } from '../../../../lab/confdir';
import { matrixService, writePassdb } from '../../../../lab/matrix';
import { makeOtpUsers, otpPrompt } from '../../../../lab/otp';
import { describeInEtcOverlay } from '../../../../lab/skip';
import { otpStack, unixStack } from '../../../../lab/stacks';
import { makeTempDir } from '../../../../lab/tmp';
import { ADMIN_GROUP, NEW_PASSWORD, PASSWORD, USERS, WEAK_PASSWORD } from '../../../../lab/users';
import { assertNothingContains, runCli, startCli } from '../../../test/cli-process';

const MATRIX_PASSWORD = 'flow-Secret-5';

/** A config file: sessions that exit at once, no admin group unless given. */
function writeConfig(extra: Record<string, unknown> = {}): string {
  const file = join(makeTempDir('gatehouse-config-'), 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      login: { sessions: [{ id: 'true', name: 'Nothing', argv: ['/bin/true'] }], sessionType: 'tty' },
      elevate: { adminGroup: null },
      ...extra,
    }),
  );
  return file;
}

function matrixConf(): string {
  const passdb = writePassdb([{ user: 'alice', password: MATRIX_PASSWORD, service: 'matrix' }]);
  return makeConfDir({ matrix: matrixService(passdb, 'verbose') }).dir;
}

const outcomes = (events: Record<string, unknown>[]) => events.filter((e) => e.event === 'outcome');
const results = (events: Record<string, unknown>[]) =>
  events.filter((e) => e.event === 'result').map((e) => `${String(e.op)} ${String(e.code)}`);

describe('gatehouse check --flow (pam_matrix)', () => {
  it('unlocks with the right password: prompt, results, outcome, exit 0', async () => {
    const result = await runCli(
      ['check', '--json', '--flow', 'unlock', '--config', writeConfig(), '--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice'],
      { input: `${MATRIX_PASSWORD}\n` },
    );
    expect(result.events[0]).toEqual({ event: 'result', op: 'start', ok: true, code: 'PAM_SUCCESS', errno: 0, message: 'Success' });
    expect(result.events[1]).toMatchObject({ event: 'prompt', style: 'echo-off', text: 'Password: ' });
    expect(result.events).toContainEqual({ event: 'message', kind: 'info', text: 'Authentication succeeded' });
    expect(results(result.events)).toEqual(expect.arrayContaining(['authenticate PAM_SUCCESS', 'acct_mgmt PAM_SUCCESS']));
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    expect(outcomes(result.events)).toHaveLength(1);
    expect(result.status).toBe(0);
    assertNothingContains(result, [MATRIX_PASSWORD]);
  });

  it('reports a wrong password with exit 1', async () => {
    const result = await runCli(
      ['check', '--json', '--flow', 'unlock', '--config', writeConfig(), '--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice'],
      { input: 'wrong-Secret\n' },
    );
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'PAM_AUTH_ERR' });
    expect(results(result.events)).toContain('authenticate PAM_AUTH_ERR');
    expect(result.status).toBe(1);
    assertNothingContains(result, ['wrong-Secret']);
  });

  it('cancels the flow at the end of input: outcome CANCELLED, exit 1', async () => {
    const result = await runCli(
      ['check', '--json', '--flow', 'elevate', '--config', writeConfig(), '--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice'],
      { input: '' },
    );
    expect(result.events[1]).toMatchObject({ event: 'prompt', text: 'Password: ' });
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'CANCELLED' });
    expect(result.stderr).toMatch(/input ended; cancelling the flow/);
    expect(result.status).toBe(1);
  });

  it('elevates the requesting user', async () => {
    const result = await runCli(
      ['check', '--json', '--flow', 'elevate', '--config', writeConfig(), '--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice'],
      { input: `${MATRIX_PASSWORD}\n` },
    );
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    expect(result.status).toBe(0);
  });

  it('ends with PROMPT_TIMEOUT when a prompt is left unanswered past --prompt-timeout', async () => {
    const cli = startCli([
      'check', '--json', '--flow', 'unlock', '--config', writeConfig(), '--service', 'matrix', '--confdir', matrixConf(),
      '--user', 'alice', '--prompt-timeout', '300',
    ]);
    await cli.nextEvent((e) => e.event === 'prompt');
    const result = await cli.exited();
    cli.child.stdin.end();
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'PROMPT_TIMEOUT' });
    expect(result.status).toBe(1);
  });

  it('cancels on SIGTERM at a prompt: outcome CANCELLED, exit 143', async () => {
    const cli = startCli(['check', '--json', '--flow', 'unlock', '--config', writeConfig(), '--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice']);
    await cli.nextEvent((e) => e.event === 'prompt');
    cli.child.kill('SIGTERM');
    const result = await cli.exited();
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'CANCELLED' });
    expect(result.status).toBe(143);
  });

  it('answers prompts one line each, as they come (an interactive client)', async () => {
    const cli = startCli(['check', '--json', '--flow', 'unlock', '--config', writeConfig(), '--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice']);
    const prompt = await cli.nextEvent((e) => e.event === 'prompt');
    expect(prompt).toMatchObject({ style: 'echo-off', text: 'Password: ' });
    cli.send(MATRIX_PASSWORD);
    const outcome = await cli.nextEvent((e) => e.event === 'outcome');
    expect(outcome).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    cli.child.stdin.end();
    expect((await cli.exited()).status).toBe(0);
  });
});

describe('gatehouse check --flow: configuration errors', () => {
  it('refuses a config file with an unknown field, naming it (exit 2)', async () => {
    const file = join(makeTempDir('gatehouse-config-'), 'config.json');
    writeFileSync(file, JSON.stringify({ timeouts: { promptMs: 1000, typo: 1 } }));
    const result = await runCli(['check', '--flow', 'unlock', '--config', file]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`configuration ${file}: timeouts: unknown field typo`);
  });

  it('refuses a config file that is not JSON (exit 2)', async () => {
    const file = join(makeTempDir('gatehouse-config-'), 'config.json');
    writeFileSync(file, '{ not json');
    const result = await runCli(['check', '--flow', 'unlock', '--config', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/not valid JSON/);
  });

  it('refuses a missing config file given with --config (exit 2)', async () => {
    const result = await runCli(['check', '--flow', 'unlock', '--config', '/nonexistent/gatehouse.json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/the file does not exist/);
  });

  it('refuses a login flow with no session configured and none installed (exit 2)', async () => {
    const file = join(makeTempDir('gatehouse-config-'), 'config.json');
    writeFileSync(file, '{}');
    // Sessions are looked for in $XDG_DATA_DIRS: here, an empty directory.
    const result = await runCli(['check', '--flow', 'login', '--config', file, '--confdir', makeTempDir()], {
      env: { ...process.env, XDG_DATA_DIRS: makeTempDir('gatehouse-share-') },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/login\.sessions: not set, and no desktop session is installed/);
  });
});

describeInEtcOverlay('gatehouse check on pam_unix (test users in the /etc overlay)', () => {
  const unix = (options: Parameters<typeof unixStack>[0] = {}) => makeConfDir({ unix: unixStack(options) }).dir;

  it('OP mode: the right password passes authenticate and acct_mgmt', async () => {
    const result = await runCli(['check', '--json', '--service', 'unix', '--confdir', unix(), '--user', USERS.plain.name, 'authenticate', 'acct_mgmt'], {
      input: `${PASSWORD}\n`,
    });
    const ok = (op: string) => ({ event: 'result', op, ok: true, code: 'PAM_SUCCESS', errno: 0, message: 'Success' });
    expect(result.events).toEqual([
      ok('start'),
      { event: 'prompt', id: 'p1', style: 'echo-off', text: 'Password: ' },
      ok('authenticate'),
      ok('acct_mgmt'),
      ok('end'),
      { event: 'outcome', ok: true, code: 'PAM_SUCCESS' },
    ]);
    expect(result.status).toBe(0);
    assertNothingContains(result, [PASSWORD]);
  });

  it('OP mode: a wrong password announces the fail delay and waits it out', async () => {
    const result = await runCli(['check', '--json', '--service', 'unix', '--confdir', unix({ failDelayUs: 400_000 }), '--user', USERS.plain.name, 'authenticate'], {
      input: 'not-the-password\n',
    });
    expect(result.events.map((e) => e.event)).toEqual(['result', 'prompt', 'result', 'result', 'delay', 'outcome']);
    expect(result.events[2]).toMatchObject({ op: 'authenticate', ok: false, code: 'PAM_AUTH_ERR', errno: 7 });
    const ms = result.events[4]!.ms as number;
    // libpam's jitter: ±50 % around the 400 ms asked for.
    expect(ms).toBeGreaterThanOrEqual(150);
    expect(ms).toBeLessThanOrEqual(650);
    expect(result.durationMs).toBeGreaterThanOrEqual(ms);
    expect(result.status).toBe(1);
  });

  it('OP mode: an expired password is changed (pwquality rejects a weak one first), then works', async () => {
    const user = USERS.expiredCheck.name;
    const conf = unix({ failDelayUs: 0 });
    const expired = await runCli(['check', '--json', '--service', 'unix', '--confdir', conf, '--user', user, 'authenticate', 'acct_mgmt'], {
      input: `${PASSWORD}\n`,
    });
    expect(expired.events.at(-3)).toMatchObject({ op: 'acct_mgmt', ok: false, code: 'PAM_NEW_AUTHTOK_REQD', errno: 12 });
    expect(expired.events).toContainEqual({
      event: 'message',
      kind: 'error',
      text: 'You are required to change your password immediately (administrator enforced).',
    });
    expect(expired.status).toBe(1);

    const change = await runCli(
      ['check', '--json', '--service', 'unix', '--confdir', conf, '--user', user, 'authenticate', 'chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK)', 'acct_mgmt'],
      { input: [PASSWORD, PASSWORD, WEAK_PASSWORD, NEW_PASSWORD, NEW_PASSWORD, ''].join('\n') },
    );
    expect(change.events.filter((e) => e.event !== 'result')).toEqual([
      { event: 'prompt', id: 'p1', style: 'echo-off', text: 'Password: ' },
      { event: 'message', kind: 'info', text: `Changing password for ${user}.` },
      { event: 'prompt', id: 'p2', style: 'echo-off', text: 'Current password: ' },
      { event: 'prompt', id: 'p3', style: 'echo-off', text: 'New password: ' },
      { event: 'message', kind: 'error', text: 'BAD PASSWORD: The password is shorter than 12 characters' },
      { event: 'prompt', id: 'p4', style: 'echo-off', text: 'New password: ' },
      { event: 'prompt', id: 'p5', style: 'echo-off', text: 'Retype new password: ' },
      { event: 'outcome', ok: true, code: 'PAM_SUCCESS' },
    ]);
    expect(change.status).toBe(0);
    assertNothingContains(change, [PASSWORD, WEAK_PASSWORD, NEW_PASSWORD]);

    const after = await runCli(['check', '--json', '--service', 'unix', '--confdir', conf, '--user', user, 'authenticate', 'acct_mgmt'], {
      input: `${NEW_PASSWORD}\n`,
    });
    expect(after.status).toBe(0);
  });

  it('flow unlock: the right password unlocks', async () => {
    const result = await runCli(['check', '--json', '--flow', 'unlock', '--config', writeConfig(), '--service', 'unix', '--confdir', unix(), '--user', USERS.plain.name], {
      input: `${PASSWORD}\n`,
    });
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    expect(result.status).toBe(0);
  });

  it('flow unlock: a wrong password reports the delay and the check waits it out', async () => {
    const result = await runCli(
      ['check', '--json', '--flow', 'unlock', '--config', writeConfig(), '--service', 'unix', '--confdir', unix({ failDelayUs: 400_000 }), '--user', USERS.plain.name],
      { input: 'not-the-password\n' },
    );
    const delay = result.events.find((e) => e.event === 'delay');
    expect(delay).toBeDefined();
    expect(result.durationMs).toBeGreaterThanOrEqual((delay!.ms as number) - 50);
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'PAM_AUTH_ERR' });
    expect(result.status).toBe(1);
  });

  it('flow login: the lockout holds across check processes, and a locked name gets the same answer whatever the password', async () => {
    // One state directory for every run, as for every check of one user on a machine.
    const env = { GATEHOUSE_STATE_DIR: makeTempDir('gatehouse-check-lockout-') };
    const config = writeConfig({ lockout: { maxFailures: 3, minFailDelayMs: 100 } });
    const conf = unix({ failDelayUs: 1_000 });
    const attempt = (password: string) =>
      runCli(['check', '--json', '--flow', 'login', '--config', config, '--service', 'unix', '--confdir', conf], {
        input: `${USERS.plain.name}\n${password}\n`,
        env,
      });
    for (let i = 0; i < 3; i++) expect(outcomes((await attempt('not-the-Passw0rd')).events)).toEqual([{ event: 'outcome', ok: false, code: 'PAM_AUTH_ERR' }]);
    const wrong = await attempt('not-the-Passw0rd');
    const right = await attempt(PASSWORD);
    for (const locked of [wrong, right]) {
      expect(locked.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'LOCKED_OUT' });
      expect(locked.status).toBe(1);
      // Stopped at the name: no password prompt, no authenticate result to tell them apart.
      expect(locked.events.filter((e) => e.event === 'prompt').map((e) => e.style)).toEqual(['echo-on']);
      expect(results(locked.events)).toEqual(['start PAM_SUCCESS', 'end PAM_SUCCESS']);
    }
    const shape = (r: typeof wrong) => r.events.map((e) => (e.event === 'delay' ? 'delay' : JSON.stringify(e)));
    expect(shape(right)).toEqual(shape(wrong));
    expect(right.stderr).toMatch(/"event":"lockout","mechanism":"engine"/);
    assertNothingContains(right, [PASSWORD]);
  }, 60_000);

  it('flow login: the user from --user logs in, the session command runs, exit 0', async () => {
    const result = await runCli(['check', '--json', '--flow', 'login', '--config', writeConfig(), '--service', 'unix', '--confdir', unix(), '--user', USERS.plain.name], {
      input: `${PASSWORD}\n`,
    });
    expect(results(result.events)).toEqual(expect.arrayContaining(['open_session PAM_SUCCESS', 'close_session PAM_SUCCESS']));
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    expect(result.status).toBe(0);
  });

  it('flow login: PAM asks for the user name when none is given', async () => {
    const result = await runCli(['check', '--json', '--flow', 'login', '--config', writeConfig(), '--service', 'unix', '--confdir', unix()], {
      input: `${USERS.plain.name}\n${PASSWORD}\n`,
    });
    expect(result.events.filter((e) => e.event === 'prompt').map((e) => e.style)).toEqual(['echo-on', 'echo-off']);
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
  });

  it('flow elevate: a member of the admin group confirms when the engine runs as root', async () => {
    const config = writeConfig({ elevate: { adminGroup: ADMIN_GROUP.name } });
    const admin = await runCli(['check', '--json', '--flow', 'elevate', '--config', config, '--service', 'unix', '--confdir', unix(), '--user', USERS.admin.name], {
      input: `${PASSWORD}\n`,
    });
    expect(admin.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    expect(admin.status).toBe(0);
  });

  it('flow unlock with a second factor (pam_oath): two prompts, two lines', async () => {
    const otp = makeOtpUsers([USERS.plain.name]);
    const conf = makeConfDir({ otp: otpStack(otp.usersFile) }).dir;
    const code = otp.code(USERS.plain.name);
    const result = await runCli(['check', '--json', '--flow', 'unlock', '--config', writeConfig(), '--service', 'otp', '--confdir', conf, '--user', USERS.plain.name], {
      input: `${PASSWORD}\n${code}\n`,
    });
    expect(result.events.filter((e) => e.event === 'prompt').map((e) => e.text)).toEqual(['Password: ', otpPrompt(USERS.plain.name)]);
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    assertNothingContains(result, [PASSWORD, code]);
  });
});
