// The `gatehouse` command itself, as a real process: dispatch, help, and clear
// usage errors (exit 2) for everything that cannot run as given.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('gatehouse --version', () => {
  it('prints the version of package.json (exit 0)', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ status: 0, stdout: `gatehouse ${version}\n`, stderr: '' });
    expect((await runCli(['--version', 'extra'])).status).toBe(2);
  });
});

describe('gatehouse check --config: is the configuration usable', () => {
  const dir = makeTempDir('gatehouse-cli-config-');
  const confDir = makeTempDir('gatehouse-cli-pam-');
  for (const service of ['gatehouse-login', 'gatehouse-unlock', 'gatehouse-elevate']) writeFileSync(join(confDir, service), 'auth required pam_permit.so\n');
  const share = makeTempDir('gatehouse-cli-share-');
  mkdirSync(join(share, 'xsessions'));
  writeFileSync(join(share, 'xsessions', 'shell.desktop'), '[Desktop Entry]\nName=Shell\nExec=/bin/sh\n');
  writeFileSync(join(share, 'xsessions', 'gone.desktop'), '[Desktop Entry]\nName=Gone\nExec=/nonexistent/desktop\n');
  const empty = makeTempDir('gatehouse-cli-share-');
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  const withSessions = (dataDirs: string) => ({ env: { ...process.env, XDG_DATA_DIRS: dataDirs } });

  it('accepts a valid file and lists what each mode uses, with the installed sessions and why others are not offered', async () => {
    const config = file('valid.json', { confDir });
    const result = await runCli(['check', '--config', config], withSessions(share));
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        `configuration ${config}: valid`,
        `login: PAM service gatehouse-login (${confDir}/gatehouse-login)`,
        '  sessions (installed):',
        `    shell: Shell [x11] (${share}/xsessions/shell.desktop)`,
        `  not offered: ${share}/xsessions/gone.desktop: its program /nonexistent/desktop is not installed`,
        `unlock: PAM service gatehouse-unlock (${confDir}/gatehouse-unlock)`,
        `elevate: PAM service gatehouse-elevate (${confDir}/gatehouse-elevate)`,
        '',
      ].join('\n'),
    );
  });

  it('a mode that cannot start is a warning (exit 0), and with --mode the answer (exit 1)', async () => {
    const config = file('no-sessions.json', { confDir });
    const all = await runCli(['check', '--config', config], withSessions(empty));
    expect(all.status).toBe(0);
    expect(all.stdout).toContain(`  warning: no session: login.sessions is not set and none is installed in ${empty}/wayland-sessions, ${empty}/xsessions`);
    const login = await runCli(['check', '--config', config, '--mode', 'login'], withSessions(empty));
    expect(login.status).toBe(1);
    expect(login.stdout).toContain('  cannot start: no session');
    expect(login.stdout).not.toContain('unlock:');
    const unlock = await runCli(['check', '--config', config, '--mode', 'unlock'], withSessions(empty));
    expect(unlock.status).toBe(0);
  });

  it('configured sessions are used as they are; a missing service file is named', async () => {
    const config = file('configured.json', { services: { unlock: 'nowhere' }, confDir, login: { sessions: [{ id: 'kiosk', name: 'Kiosk', argv: ['/bin/true'] }] } });
    const result = await runCli(['check', '--config', config, '--json'], withSessions(empty));
    expect(result.status).toBe(0);
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({
      type: 'config',
      file: config,
      status: 0,
      modes: [
        { mode: 'login', sessions: { source: 'config', offered: [{ id: 'kiosk', name: 'Kiosk', type: 'x11' }] }, problems: [] },
        { mode: 'unlock', service: 'nowhere', problems: [`no PAM service file nowhere in ${confDir} (PAM would use its "other" service)`] },
        { mode: 'elevate', problems: [] },
      ],
    });
    expect((await runCli(['check', '--config', config, '--mode', 'unlock'], withSessions(empty))).status).toBe(1);
  });

  it('refuses an invalid file with every problem named (exit 2)', async () => {
    const config = file('invalid.json', { login: { sessions: [] }, theme: 'Not A Theme' });
    const result = await runCli(['check', '--config', config]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`configuration ${config}: login.sessions: must list at least one session`);
    expect(result.stderr).toContain('theme: must be a theme name');
  });

  it('refuses flags that do not apply (exit 2)', async () => {
    const config = file('plain.json', {});
    expect((await runCli(['check', '--config', config, '--mode', 'sudo'])).stderr).toMatch(/--mode must be one of/);
    expect((await runCli(['check', '--config', config, '--user', 'x'])).stderr).toMatch(/--user does not apply to --config alone/);
    expect((await runCli(['check', '--flow', 'unlock', '--mode', 'unlock'])).stderr).toMatch(/--mode applies to --config alone/);
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
    ['--config with operations', ['check', '--config', '/x.json', '--service', 'x', 'authenticate'], /--config applies to --flow, or alone/],
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
