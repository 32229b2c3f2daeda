// `gatehouse check` on a real terminal: a pseudo-terminal made by pty-driver.py,
// which types at it, sends signals, and reports the terminal's modes after the
// process is gone. Echo-off answers must never appear; the terminal must come
// back in its own mode however the check ends.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeConfDir } from '../../../../lab/confdir';
import { matrixService, writePassdb } from '../../../../lab/matrix';
import { module } from '../../../../lab/paths';
import { makeTempDir } from '../../../../lab/tmp';
import { CLI } from '../../../test/cli-process';

const PASSWORD = 'tty-Secret-77';

type Step = { expect: string } | { send: string } | { signal: string } | { sleep: number };

interface PtyRun {
  error: string | null;
  status: number;
  output: string;
  termios: { echo: boolean; icanon: boolean; isig: boolean };
}

function onTerminal(steps: Step[], command: string[]): PtyRun {
  const driver = join(__dirname, 'pty-driver.py');
  // Lockout state of its own (main/config/state-dir.ts), not the machine's.
  const env = { ...process.env, GATEHOUSE_STATE_DIR: makeTempDir('gatehouse-state-') };
  const run = spawnSync('python3', [driver, JSON.stringify(steps), '--', ...command], { encoding: 'utf8', timeout: 60_000, env });
  if (run.status !== 0) throw new Error(`pty-driver.py failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as PtyRun;
  if (result.error !== null) throw new Error(`${result.error}; terminal output:\n${result.output}`);
  return result;
}

function matrixConf(): string {
  const passdb = writePassdb([{ user: 'alice', password: PASSWORD, service: 'matrix' }]);
  return makeConfDir({ matrix: matrixService(passdb) }).dir;
}

const check = (...args: string[]) => [process.execPath, CLI, 'check', ...args];
const restored = { echo: true, icanon: true, isig: true };

describe('gatehouse check on a terminal', () => {
  it('reads an echo-off answer without echoing it, and restores the terminal', () => {
    const run = onTerminal(
      [{ expect: 'Password: ' }, { send: `${PASSWORD}\r` }, { expect: 'everything succeeded' }],
      check('--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice', 'authenticate', 'acct_mgmt'),
    );
    expect(run.status).toBe(0);
    expect(run.output).not.toContain(PASSWORD);
    expect(run.output).toContain('gatehouse check: acct_mgmt: ok');
    expect(run.termios).toEqual(restored);
  });

  it('echoes an echo-on answer on the terminal only, never into redirected stdout', () => {
    const conf = makeConfDir({ permit: `auth required ${module('pam_permit.so')}` });
    const out = join(makeTempDir('gatehouse-tty-out-'), 'stdout');
    const command = `exec ${[...check('--service', 'permit', '--confdir', conf.dir, 'authenticate')].join(' ')} > ${out}`;
    const run = onTerminal([{ expect: 'login:' }, { send: 'carol\r' }, { sleep: 0.5 }], ['sh', '-c', command]);
    expect(run.status).toBe(0);
    expect(run.output).toContain('login:carol');
    const stdout = readFileSync(out, 'utf8');
    expect(stdout).toBe(
      [
        'gatehouse check: start: ok',
        'gatehouse check: authenticate: ok',
        'gatehouse check: end: ok',
        'gatehouse check: everything succeeded',
        '',
      ].join('\n'),
    );
  });

  it('edits with Backspace and Ctrl-U', () => {
    const run = onTerminal(
      [{ expect: 'Password: ' }, { send: 'garbage\x15' + PASSWORD.slice(0, -1) + 'X\x7f' + PASSWORD.slice(-1) + '\r' }, { expect: 'everything' }],
      check('--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice', 'authenticate'),
    );
    expect(run.status).toBe(0);
  });

  it('takes Ctrl-D on an empty line as the end of input (the module gets PAM_CONV_ERR)', () => {
    const run = onTerminal(
      [{ expect: 'Password: ' }, { send: '\x04' }],
      check('--json', '--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice', 'authenticate'),
    );
    expect(run.status).toBe(1);
    expect(run.output).toContain('"code":"PAM_AUTHINFO_UNAVAIL"');
    expect(run.termios).toEqual(restored);
  });

  it('stops on Ctrl-C at a prompt: outcome CANCELLED, exit 130, terminal restored', () => {
    const run = onTerminal(
      [{ expect: 'Password: ' }, { send: 'half' }, { sleep: 0.2 }, { send: '\x03' }],
      check('--json', '--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice', 'authenticate'),
    );
    expect(run.status).toBe(130);
    expect(run.output).toContain('{"event":"outcome","ok":false,"code":"CANCELLED"}');
    expect(run.output).not.toContain('half');
    expect(run.termios).toEqual(restored);
  });

  it('restores the terminal when killed by SIGTERM mid-answer (exit 143)', () => {
    const run = onTerminal(
      [{ expect: 'Password: ' }, { send: 'half' }, { sleep: 0.2 }, { signal: 'TERM' }],
      check('--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice', 'authenticate'),
    );
    expect(run.status).toBe(143);
    expect(run.output).not.toContain('half');
    expect(run.termios).toEqual(restored);
  });

  it('restores the terminal on SIGHUP too (exit 129)', () => {
    const run = onTerminal(
      [{ expect: 'Password: ' }, { signal: 'HUP' }],
      check('--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice', 'authenticate'),
    );
    expect(run.status).toBe(129);
    expect(run.termios).toEqual(restored);
  });

  it('prints --json events on a terminal without echoing the answer', () => {
    const run = onTerminal(
      [{ expect: '"event":"prompt"' }, { send: `${PASSWORD}\r` }, { expect: '"event":"outcome"' }],
      check('--json', '--service', 'matrix', '--confdir', matrixConf(), '--user', 'alice', 'authenticate'),
    );
    expect(run.status).toBe(0);
    expect(run.output).not.toContain(PASSWORD);
    expect(run.output).toContain('{"event":"outcome","ok":true,"code":"PAM_SUCCESS"}');
  });

  it('keeps typed-ahead lines for the next prompts (a paste of two answers)', () => {
    const passdb = writePassdb([{ user: 'alice', password: PASSWORD, service: 'matrix' }]);
    const conf = makeConfDir({ matrix: matrixService(passdb) });
    const NEW = 'tty-Fresh-88';
    const run = onTerminal(
      [{ expect: 'Old password: ' }, { send: `${PASSWORD}\r` }, { expect: 'New Password :' }, { send: `${NEW}\r${NEW}\r` }, { expect: 'everything' }],
      check('--service', 'matrix', '--confdir', conf.dir, '--user', 'alice', 'chauthtok'),
    );
    expect(run.status).toBe(0);
    expect(run.output).not.toContain(NEW);
  });
});
