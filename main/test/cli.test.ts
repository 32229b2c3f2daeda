// The `gatehouse` command itself, as a real process: dispatch, help, and clear
// usage errors (exit 2) for everything that cannot run as given.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lab/paths';
import { makeTempDir } from '../../lab/tmp';
import { CLI, runCli } from './cli-process';

describe('gatehouse (the command)', () => {
  it('is the package bin, with a shebang', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(join(REPO_ROOT, pkg.bin.gatehouse!)).toBe(CLI);
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('lists its commands with --help (exit 0), and on stderr without a command (exit 2)', async () => {
    const help = await runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: gatehouse COMMAND/);
    expect(help.stdout).toMatch(/\n {2}check {3}/);
    expect(help.stdout).toMatch(/\n {2}serve {3}/);
    const none = await runCli([]);
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^usage: gatehouse COMMAND/);
  });

  it('refuses an unknown command (exit 2)', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('describes each command with COMMAND --help (exit 0)', async () => {
    const check = await runCli(['check', '--help']);
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/^usage: gatehouse check --service NAME/);
    const serve = await runCli(['serve', '-h']);
    expect(serve.status).toBe(0);
    expect(serve.stdout).toMatch(/^usage: gatehouse serve --mode/);
  });
});

describe('gatehouse check: usage errors (exit 2, nothing on stdout)', () => {
  const dir = makeTempDir('gatehouse-cli-');
  const cases: [string, string[], RegExp][] = [
    ['no service', ['check', 'authenticate'], /give --service NAME \(or --flow MODE\)/],
    ['no operation', ['check', '--service', 'x'], /give at least one operation/],
    ['an unknown operation', ['check', '--service', 'x', 'authorize'], /unknown operation 'authorize'/],
    ['an unknown flag of an operation', ['check', '--service', 'x', 'setcred(PAM_SILENTLY)'], /setcred: unknown flag 'PAM_SILENTLY'/],
    ['a flag of another operation', ['check', '--service', 'x', 'authenticate(PAM_DELETE_CRED)'], /authenticate: unknown flag 'PAM_DELETE_CRED'/],
    ['two setcred actions', ['check', '--service', 'x', 'setcred(PAM_DELETE_CRED|PAM_REFRESH_CRED)'], /setcred: give at most one of/],
    ['operations with --flow', ['check', '--flow', 'unlock', 'authenticate'], /operations and --flow exclude each other/],
    ['an unknown flow', ['check', '--flow', 'sudo'], /--flow must be one of login, unlock, elevate/],
    ['--config without --flow', ['check', '--config', '/x.json', '--service', 'x', 'authenticate'], /--config applies to --flow only/],
    ['--session without --flow', ['check', '--session', 'x', '--service', 'x', 'authenticate'], /--session applies to --flow only/],
    ['a bad prompt timeout', ['check', '--prompt-timeout', '-5', '--service', 'x', 'authenticate'], /--prompt-timeout/],
    ['a non-number prompt timeout', ['check', '--prompt-timeout', '1e3', '--service', 'x', 'authenticate'], /--prompt-timeout must be an integer/],
    ['a confdir that does not exist', ['check', '--service', 'x', '--confdir', join(dir, 'nope'), 'authenticate'], /--confdir: .* is not a directory/],
    ['a service name with a slash', ['check', '--service', '../etc/x', 'authenticate'], /--service must be a PAM service name/],
    ['an empty user', ['check', '--service', 'x', '--user=', 'authenticate'], /--user must not be empty/],
    ['an unknown option', ['check', '--verbose', '--service', 'x', 'authenticate'], /Unknown option '--verbose'/],
    ['a missing option value', ['check', '--service'], /--service/],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what}`, async () => {
      const result = await runCli(args);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/see `gatehouse check --help`/);
    });
  }
});

describe('gatehouse serve: usage errors (exit 2, nothing on stdout)', () => {
  const cases: [string, string[], RegExp][] = [
    ['no mode', ['serve'], /give --mode login\|unlock\|elevate/],
    ['positional arguments', ['serve', '--mode', 'unlock', 'extra'], /Unexpected argument 'extra'/],
    ['a port that is not a number', ['serve', '--mode', 'unlock', '--port', 'http'], /--port must be an integer from 0 to 65535/],
    ['a non-loopback host', ['serve', '--mode', 'unlock', '--host', '0.0.0.0'], /listens on 127\.0\.0\.1 only/],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what}`, async () => {
      const result = await runCli(args);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
    });
  }
});
