// The Electron app's command line: where Gatehouse's arguments start in argv, and
// what each command line means.
import { relative as relativePath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../lab/tmp';
import { UsageError, gatehouseArguments, parseCommandLine } from '../command-line';

describe('gatehouseArguments', () => {
  it('packaged: everything after the executable', () => {
    expect(gatehouseArguments(['/opt/Gatehouse/gatehouse', 'lock', '--now'], false)).toEqual(['lock', '--now']);
  });

  it('unpackaged: everything after the app path', () => {
    expect(gatehouseArguments(['/x/electron', '/repo', '--mode', 'elevate'], true)).toEqual(['--mode', 'elevate']);
  });

  it('drops the runtime switches Playwright, root and Wayland users put first', () => {
    expect(
      gatehouseArguments(['electron', '--inspect=0', '--remote-debugging-port=0', '--no-sandbox', 'dist/main.js', '--mode', 'unlock'], true),
    ).toEqual(['--mode', 'unlock']);
    expect(gatehouseArguments(['gatehouse', '--ozone-platform=wayland', '--mode', 'login'], false)).toEqual(['--mode', 'login']);
    // /usr/bin/gatehouse runs the terminal commands with Chromium headless and unsandboxed.
    expect(gatehouseArguments(['/usr/lib/gatehouse/gatehouse', '--headless', '--no-sandbox', 'check', '--help'], false)).toEqual(['check', '--help']);
  });

  it('keeps a look-alike of a runtime switch that comes after Gatehouse’s own arguments', () => {
    expect(gatehouseArguments(['gatehouse', '--mode', 'unlock', '--no-sandbox'], false)).toEqual(['--mode', 'unlock', '--no-sandbox']);
  });
});

describe('parseCommandLine', () => {
  it('defaults to unlock mode for the user running it', () => {
    const inProcess = { kind: 'in-process' };
    expect(parseCommandLine([])).toEqual({ kind: 'app', mode: 'unlock', config: { overrides: {} }, engine: inProcess });
    expect(parseCommandLine(['app'])).toEqual({ kind: 'app', mode: 'unlock', config: { overrides: {} }, engine: inProcess });
    expect(parseCommandLine(['app', '--mode', 'login'])).toMatchObject({ kind: 'app', mode: 'login' });
    expect(parseCommandLine(['--no-guard'])).toEqual({ kind: 'app', mode: 'unlock', config: { overrides: {} }, engine: inProcess, unguarded: true });
    expect(() => parseCommandLine(['--mode', 'elevate', '--no-guard'])).toThrow('--no-guard applies to --mode unlock only');
  });

  it('maps the shared config flags onto overrides, as the other hosts do', () => {
    const dir = makeTempDir('gatehouse-confdir-');
    expect(
      parseCommandLine(['--mode', 'unlock', '--config', '/etc/g.json', '--service', 'demo', '--confdir', dir, '--user', 'alice', '--prompt-timeout', '5000']),
    ).toEqual({
      kind: 'app',
      mode: 'unlock',
      config: {
        path: '/etc/g.json',
        user: 'alice',
        overrides: { services: { unlock: 'demo' }, confDir: dir, timeouts: { promptMs: 5000 } },
      },
      engine: { kind: 'in-process' },
    });
  });

  it('makes --confdir absolute, as the configuration wants it', () => {
    const dir = makeTempDir('gatehouse-confdir-');
    const relative = relativePath(process.cwd(), dir);
    expect(parseCommandLine(['--confdir', relative])).toMatchObject({ config: { overrides: { confDir: dir } } });
  });

  it('elevate: what is approved, who asks, and the command to run', () => {
    expect(parseCommandLine(['--mode', 'elevate', '--action', 'Install updates', '--program', 'apt', '--', 'apt-get', '-y', 'upgrade'])).toEqual({
      kind: 'app',
      mode: 'elevate',
      config: { overrides: { elevate: { action: 'Install updates', program: 'apt', command: ['apt-get', '-y', 'upgrade'] } } },
      engine: { kind: 'in-process' },
    });
  });

  it('login: the greeter as the engine daemon’s client, or as greetd’s greeter', () => {
    expect(parseCommandLine(['--mode', 'login', '--engine', '/run/gatehouse/engine.sock'])).toMatchObject({
      kind: 'app',
      mode: 'login',
      engine: { kind: 'daemon', socketPath: '/run/gatehouse/engine.sock' },
    });
    expect(parseCommandLine(['--mode', 'login', '--source', 'greetd'], { GREETD_SOCK: '/run/greetd-1.sock' })).toMatchObject({
      engine: { kind: 'greetd', socketPath: '/run/greetd-1.sock' },
    });
    expect(parseCommandLine(['--mode', 'login', '--source', 'addon'])).toMatchObject({ engine: { kind: 'in-process' } });
  });

  it('refuses engine choices that cannot work', () => {
    const refusals: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['--mode', 'unlock', '--engine', '/run/e.sock'], {}, /runs logins only/],
      [['--mode', 'login', '--engine', 'e.sock'], {}, /absolute path/],
      [['--mode', 'login', '--engine', '/run/e.sock', '--config', '/etc/g.json'], {}, /--config does not apply with --engine/],
      [['--mode', 'login', '--source', 'greetd'], {}, /\$GREETD_SOCK is not set/],
      [['--mode', 'elevate', '--source', 'greetd'], { GREETD_SOCK: '/run/g.sock' }, /greetd runs logins only/],
      [['--mode', 'login', '--source', 'greetd', '--service', 'x'], { GREETD_SOCK: '/run/g.sock' }, /greetd chooses its PAM service/],
      [['--mode', 'login', '--source', 'polkit'], {}, /--source must be addon or greetd/],
    ];
    for (const [args, env, message] of refusals) {
      expect(() => parseCommandLine(args, env), args.join(' ')).toThrow(message);
    }
  });

  it('never runs the engine daemon in the app (it would bring Chromium along as root)', () => {
    expect(() => parseCommandLine(['engine', '--socket', '/run/e.sock'])).toThrow(/runs under Node, not in the app/);
  });

  it('lock: watch by default, --now, --once', () => {
    expect(parseCommandLine(['lock'])).toMatchObject({ kind: 'lock', trigger: 'watch' });
    expect(parseCommandLine(['lock', '--now'])).toMatchObject({ kind: 'lock', trigger: 'now' });
    expect(parseCommandLine(['lock', '--once', '--service', 'x'])).toEqual({
      kind: 'lock',
      trigger: 'once',
      config: { overrides: { services: { unlock: 'x' } } },
    });
  });

  it('askpass: the prompt from argv, even when it looks like an option after --', () => {
    expect(parseCommandLine(['askpass', '[sudo] password for alice: '])).toEqual({
      kind: 'askpass',
      prompt: '[sudo] password for alice: ',
      config: { overrides: {} },
    });
    expect(parseCommandLine(['askpass', '--', '-odd prompt'])).toMatchObject({ kind: 'askpass', prompt: '-odd prompt' });
  });

  it('hands check and serve to the CLI untouched', () => {
    expect(parseCommandLine(['check', '--service', 'x', 'authenticate'])).toEqual({
      kind: 'cli',
      args: ['check', '--service', 'x', 'authenticate'],
    });
    expect(parseCommandLine(['serve', '--mode', 'unlock'])).toMatchObject({ kind: 'cli' });
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'cli', args: ['--version'] });
  });

  it('answers --help', () => {
    for (const args of [['--help'], ['-h'], ['help'], ['lock', '--help'], ['askpass', '--help']]) {
      expect(parseCommandLine(args).kind, args.join(' ')).toBe('help');
    }
  });

  it('refuses what it does not understand, naming the problem', () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['--mode', 'shell'], /--mode must be one of login, unlock, elevate/],
      [['--bogus'], /bogus/],
      [['--mode', 'unlock', '--action', 'x'], /--action applies to --mode elevate only/],
      [['--mode', 'unlock', '--', 'rm'], /applies to --mode elevate only/],
      [['--service', 'a/b'], /PAM service name/],
      [['--confdir', '/nonexistent/dir'], /is not a directory/],
      [['--prompt-timeout', '-1'], /prompt-timeout/],
      [['--prompt-timeout', '99999999999'], /prompt-timeout/],
      [['--user', ''], /--user must not be empty/],
      [['lock', '--now', '--once'], /exclude each other/],
      [['lock', '--user', 'bob'], /--user does not apply/],
      [['lock', 'extra'], /no arguments/],
      [['askpass'], /exactly one argument/],
      [['askpass', 'a', 'b'], /exactly one argument/],
      [['askpass', 'x'.repeat(1001)], /longer than 1000/],
      [['--mode', 'elevate', '--action', ''], /--action must not be empty/],
    ];
    for (const [args, message] of cases) {
      expect(() => parseCommandLine(args), args.join(' ')).toThrow(UsageError);
      expect(() => parseCommandLine(args), args.join(' ')).toThrow(message);
    }
  });
});
