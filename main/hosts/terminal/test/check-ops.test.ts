// `gatehouse check` in OP mode (pamtester's operations) as a real process, on real
// pam_matrix / pam_stress / pam_deny stacks through a confdir: the exact --json
// transcripts, the end of input, exit statuses, and that no answer is ever printed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeConfDir } from '../../../../lab/confdir';
import { matrixService, writePassdb } from '../../../../lab/matrix';
import { module, SCRIPT_MODULE } from '../../../../lab/paths';
import { makeTempDir } from '../../../../lab/tmp';
import { assertNothingContains, runCli, startCli } from '../../../test/cli-process';

const PASSWORD = 'matrix-Secret-1';
const WRONG = 'not-the-Secret-2';

function matrixConf(options = 'verbose') {
  const passdb = writePassdb([
    { user: 'alice', password: PASSWORD, service: 'matrix' },
    { user: 'bob', password: PASSWORD, service: 'elsewhere' },
  ]);
  return makeConfDir({ matrix: matrixService(passdb, options) });
}

const ok = (op: string) => ({ event: 'result', op, ok: true, code: 'PAM_SUCCESS', errno: 0, message: 'Success' });

describe('gatehouse check OP... --json (pam_matrix)', () => {
  it('runs the whole life cycle and exits 0', async () => {
    const conf = matrixConf();
    const ops = ['authenticate', 'acct_mgmt', 'setcred', 'open_session', 'close_session', 'setcred(PAM_DELETE_CRED)'];
    const result = await runCli(['check', '--json', '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', ...ops], {
      input: `${PASSWORD}\n`,
    });
    expect(result.events).toEqual([
      ok('start'),
      { event: 'prompt', id: 'p1', style: 'echo-off', text: 'Password: ' },
      { event: 'message', kind: 'info', text: 'Authentication succeeded' },
      ok('authenticate'),
      ok('acct_mgmt'),
      ok('setcred'),
      ok('open_session'),
      ok('close_session'),
      ok('setcred'),
      ok('end'),
      { event: 'outcome', ok: true, code: 'PAM_SUCCESS' },
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    assertNothingContains(result, [PASSWORD]);
  });

  it('reports a wrong password and exits 1 without running the rest', async () => {
    const conf = matrixConf();
    const result = await runCli(['check', '--json', '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', 'authenticate', 'acct_mgmt'], {
      input: `${WRONG}\n`,
    });
    expect(result.events).toEqual([
      ok('start'),
      { event: 'prompt', id: 'p1', style: 'echo-off', text: 'Password: ' },
      { event: 'message', kind: 'error', text: 'Authentication failed' },
      { event: 'result', op: 'authenticate', ok: false, code: 'PAM_AUTH_ERR', errno: 7, message: 'Authentication failure' },
      ok('end'),
      { event: 'outcome', ok: false, code: 'PAM_AUTH_ERR' },
    ]);
    expect(result.status).toBe(1);
    assertNothingContains(result, [WRONG]);
  });

  it('stops at the first failing operation (acct_mgmt for another service)', async () => {
    const conf = matrixConf('');
    const result = await runCli(['check', '--json', '--service', 'matrix', '--confdir', conf.dir, '--user', 'bob', 'authenticate', 'acct_mgmt', 'open_session'], {
      input: `${PASSWORD}\n`,
    });
    expect(result.events.slice(2)).toEqual([
      ok('authenticate'),
      { event: 'result', op: 'acct_mgmt', ok: false, code: 'PAM_PERM_DENIED', errno: 6, message: 'Permission denied' },
      ok('end'),
      { event: 'outcome', ok: false, code: 'PAM_PERM_DENIED' },
    ]);
    expect(result.status).toBe(1);
  });

  it('fails the conversation cleanly at the end of input (the module gets PAM_CONV_ERR)', async () => {
    const conf = matrixConf();
    const result = await runCli(['check', '--json', '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', 'authenticate'], { input: '' });
    // pam_matrix turns a failed conversation into PAM_AUTHINFO_UNAVAIL.
    expect(result.events).toEqual([
      ok('start'),
      { event: 'prompt', id: 'p1', style: 'echo-off', text: 'Password: ' },
      {
        event: 'result',
        op: 'authenticate',
        ok: false,
        code: 'PAM_AUTHINFO_UNAVAIL',
        errno: 9,
        message: 'Authentication service cannot retrieve authentication info',
      },
      ok('end'),
      { event: 'outcome', ok: false, code: 'PAM_AUTHINFO_UNAVAIL' },
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/input ended at a prompt/);
  });

  it('answers each prompt of a change with its own line, and the new password works', async () => {
    const conf = matrixConf();
    const NEW = 'matrix-Fresh-3';
    const change = await runCli(['check', '--json', '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', 'chauthtok'], {
      input: `${PASSWORD}\n${NEW}\n${NEW}\n`,
    });
    expect(change.events).toEqual([
      ok('start'),
      { event: 'prompt', id: 'p1', style: 'echo-off', text: 'Old password: ' },
      { event: 'message', kind: 'info', text: 'Authentication succeeded' },
      { event: 'prompt', id: 'p2', style: 'echo-off', text: 'New Password :' },
      { event: 'prompt', id: 'p3', style: 'echo-off', text: 'Verify New Password :' },
      ok('chauthtok'),
      ok('end'),
      { event: 'outcome', ok: true, code: 'PAM_SUCCESS' },
    ]);
    expect(change.status).toBe(0);
    assertNothingContains(change, [PASSWORD, NEW]);

    const login = await runCli(['check', '--json', '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', 'authenticate'], {
      input: `${NEW}\n`,
    });
    expect(login.status).toBe(0);
  });

  it('takes CRLF line endings and a last line without a newline', async () => {
    const conf = matrixConf('');
    const crlf = await runCli(['check', '--json', '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', 'authenticate'], {
      input: `${PASSWORD}\r\n`,
    });
    expect(crlf.status).toBe(0);
    const bare = await runCli(['check', '--json', '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', 'authenticate'], {
      input: PASSWORD,
    });
    expect(bare.status).toBe(0);
  });

  it('refuses an over-long answer without losing the prompt, then takes the next line', async () => {
    const conf = matrixConf('');
    const long = 'L'.repeat(600);
    const result = await runCli(['check', '--json', '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', 'authenticate'], {
      input: `${long}\n${PASSWORD}\n`,
    });
    expect(result.events).toEqual([
      ok('start'),
      { event: 'prompt', id: 'p1', style: 'echo-off', text: 'Password: ' },
      { event: 'prompt', id: 'p1', style: 'echo-off', text: 'Password: ' },
      ok('authenticate'),
      ok('end'),
      { event: 'outcome', ok: true, code: 'PAM_SUCCESS' },
    ]);
    expect(result.stderr).toMatch(/answer refused \(value: must be at most 512 bytes\)/);
    expect(result.status).toBe(0);
    assertNothingContains(result, [long, PASSWORD]);
  });

  it('reports a failed start (no service file and no `other`)', async () => {
    const empty = makeTempDir('gatehouse-empty-conf-');
    const result = await runCli(['check', '--json', '--service', 'nothing', '--confdir', empty, 'authenticate']);
    expect(result.events).toEqual([
      { event: 'result', op: 'start', ok: false, code: 'PAM_ABORT', errno: 26, message: 'Critical error - immediate abort' },
      { event: 'outcome', ok: false, code: 'PAM_ABORT' },
    ]);
    expect(result.status).toBe(1);
  });

  it('fails the conversation after --prompt-timeout when no answer comes', async () => {
    const conf = matrixConf('');
    const cli = startCli(['check', '--json', '--prompt-timeout', '300', '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', 'authenticate']);
    await cli.nextEvent((e) => e.event === 'prompt');
    // stdin stays open: only the timeout can end the prompt.
    const result = await cli.exited();
    cli.child.stdin.end();
    expect(result.events.slice(2)).toEqual([
      {
        event: 'result',
        op: 'authenticate',
        ok: false,
        code: 'PAM_AUTHINFO_UNAVAIL',
        errno: 9,
        message: 'Authentication service cannot retrieve authentication info',
      },
      ok('end'),
      { event: 'outcome', ok: false, code: 'PAM_AUTHINFO_UNAVAIL' },
    ]);
    expect(result.status).toBe(1);
  });

  it('ends cleanly on SIGTERM at a prompt: outcome CANCELLED, exit 143', async () => {
    const conf = matrixConf('');
    const cli = startCli(['check', '--json', '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', 'authenticate']);
    await cli.nextEvent((e) => e.event === 'prompt');
    cli.child.kill('SIGTERM');
    const result = await cli.exited();
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'CANCELLED' });
    expect(result.status).toBe(143);
  });

  it('prints text without --json, and never the answer', async () => {
    const conf = matrixConf();
    const result = await runCli(['check', '--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', 'authenticate', 'acct_mgmt'], {
      input: `${PASSWORD}\n`,
    });
    expect(result.stdout).toBe(
      [
        'gatehouse check: start: ok',
        'Password: ',
        'Authentication succeeded',
        'gatehouse check: authenticate: ok',
        'gatehouse check: acct_mgmt: ok',
        'gatehouse check: end: ok',
        'gatehouse check: everything succeeded',
        '',
      ].join('\n'),
    );
    expect(result.status).toBe(0);
    assertNothingContains(result, [PASSWORD]);
  });
});

describe('gatehouse check OP... --json (batches, messages, odd prompts)', () => {
  it('shows a batch of an info and two prompts in order, one line per prompt (pam_stress)', async () => {
    const conf = makeConfDir({ stress: `auth required ${module('pam_stress.so')}\npassword required ${module('pam_stress.so')}` });
    const result = await runCli(['check', '--json', '--service', 'stress', '--confdir', conf.dir, '--user', 'alice', 'chauthtok'], {
      input: 'n3w-Stress\nn3w-Stress\n',
    });
    expect(result.events).toEqual([
      ok('start'),
      { event: 'message', kind: 'info', text: 'Changing STRESS password for alice.' },
      { event: 'prompt', id: 'p1', style: 'echo-off', text: 'Enter new STRESS password: ' },
      { event: 'prompt', id: 'p2', style: 'echo-off', text: 'Retype new STRESS password: ' },
      ok('chauthtok'),
      ok('end'),
      { event: 'outcome', ok: true, code: 'PAM_SUCCESS' },
    ]);
    expect(result.status).toBe(0);
    assertNothingContains(result, ['n3w-Stress']);
  });

  it('passes flags through: PAM_SILENT drops the info of the batch', async () => {
    const conf = makeConfDir({ stress: `password required ${module('pam_stress.so')}` });
    const result = await runCli(['check', '--json', '--service', 'stress', '--confdir', conf.dir, '--user', 'alice', 'chauthtok(PAM_SILENT)'], {
      input: 'n3w-Stress\nn3w-Stress\n',
    });
    expect(result.events.map((e) => e.event)).toEqual(['result', 'prompt', 'prompt', 'result', 'result', 'outcome']);
    expect(result.status).toBe(0);
  });

  it('asks for the user name with an echo-on prompt when none is given', async () => {
    const conf = makeConfDir({ permit: `auth required ${module('pam_permit.so')}` });
    const result = await runCli(['check', '--json', '--service', 'permit', '--confdir', conf.dir, 'authenticate'], { input: 'carol\n' });
    expect(result.events).toEqual([
      ok('start'),
      { event: 'prompt', id: 'p1', style: 'echo-on', text: 'login:' },
      ok('authenticate'),
      ok('end'),
      { event: 'outcome', ok: true, code: 'PAM_SUCCESS' },
    ]);
  });

  it('refuses a binary prompt (PAM_CONV_ERR for the module) and says why on stderr', async () => {
    const script = join(makeTempDir('gatehouse-script-'), 'binary');
    writeFileSync(script, '[auth]\nmsg-binary 0000000a0142434445\nsend\nexpect-rc conv_err\nreturn auth_err\n');
    const conf = makeConfDir({ binary: `auth required ${SCRIPT_MODULE} script=${script}` });
    const result = await runCli(['check', '--json', '--service', 'binary', '--confdir', conf.dir, '--user', 'alice', 'authenticate']);
    expect(result.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'PAM_AUTH_ERR' });
    expect(result.stderr).toMatch(/binary prompt/);
    expect(result.status).toBe(1);
  });

  it('keeps one JSON object per line when a message holds newlines', async () => {
    const banner = join(makeTempDir('gatehouse-banner-'), 'banner');
    writeFileSync(banner, 'Line one\nLine two\n');
    const conf = makeConfDir({ echo: `auth optional ${module('pam_echo.so')} file=${banner}\nauth required ${module('pam_permit.so')}` });
    const result = await runCli(['check', '--json', '--service', 'echo', '--confdir', conf.dir, '--user', 'alice', 'authenticate']);
    expect(result.stdout.split('\n').length).toBe(6);
    expect(result.events[1]).toEqual({ event: 'message', kind: 'info', text: 'Line one\nLine two' });
    expect(result.status).toBe(0);
  });
});
