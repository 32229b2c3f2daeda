// Finding Electron's binary the way the electron package does, and the command
// lines that go to it.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../lab/paths';
import { makeTempDir } from '../../../lab/tmp';
import { ELECTRON_COMMANDS } from '../node-commands';
import { appDirectory, electronArguments, ELECTRON_HELP, findElectronBinary, isElectronCommandLine, missingDisplay, runInElectron } from '../relaunch';

describe('findElectronBinary', () => {
  it('uses ELECTRON_OVERRIDE_DIST_PATH when it holds an executable electron', () => {
    const dir = makeTempDir('gatehouse-electron-dist-');
    const binary = join(dir, 'electron');
    writeFileSync(binary, '#!/bin/sh\n');
    chmodSync(binary, 0o755);
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dir })).toEqual({ found: true, path: binary });
  });

  it('says what is wrong with an override that holds none', () => {
    const dir = makeTempDir('gatehouse-electron-dist-');
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dir })).toEqual({
      found: false,
      reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${join(dir, 'electron')} is not an executable`,
    });
  });

  it('otherwise looks where the electron package installs its binary', () => {
    const result = findElectronBinary({});
    if (result.found) expect(result.path).toContain(join('node_modules', 'electron', 'dist'));
    else expect(result.reason).toMatch(/no Electron binary in .*node_modules\/electron\/dist|is not an executable/);
  });

  it('explains how to get the binary and how to see the UI without it', () => {
    expect(ELECTRON_HELP).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(ELECTRON_HELP).toContain('node node_modules/electron/install.js');
    expect(ELECTRON_HELP).toContain('gatehouse serve');
  });
});

describe('command lines for Electron', () => {
  it('knows which gatehouse commands belong to the app', () => {
    expect(isElectronCommandLine(['lock'])).toBe(true);
    expect(isElectronCommandLine(['app', '--mode', 'elevate'])).toBe(true);
    expect(isElectronCommandLine(['askpass', 'Password: '])).toBe(true);
    expect(isElectronCommandLine(['--mode', 'unlock'])).toBe(true);
    expect(isElectronCommandLine(['--config', '/x', '--mode', 'login'])).toBe(true);
    expect(isElectronCommandLine(['check', 'authenticate'])).toBe(false);
    expect(isElectronCommandLine(['serve'])).toBe(false);
    expect(isElectronCommandLine(['--help'])).toBe(false);
    expect(isElectronCommandLine(['--version'])).toBe(false);
    expect(isElectronCommandLine([])).toBe(false);
  });

  it('passes the app directory first, and --no-sandbox only for root', () => {
    expect(electronArguments(['lock'], '/repo', false)).toEqual(['/repo', 'lock']);
    expect(electronArguments(['lock'], '/repo', true)).toEqual(['--no-sandbox', '/repo', 'lock']);
  });

  it('finds the checkout as the app directory', () => {
    expect(appDirectory()).toBe(REPO_ROOT);
    const nested = join(REPO_ROOT, 'dist', 'main', 'hosts', 'electron');
    mkdirSync(nested, { recursive: true });
    expect(appDirectory(nested)).toBe(REPO_ROOT);
  });

  it('needs a display', () => {
    expect(missingDisplay({})).toMatch(/DISPLAY and WAYLAND_DISPLAY are unset/);
    expect(missingDisplay({ DISPLAY: ':0' })).toBeUndefined();
    expect(missingDisplay({ WAYLAND_DISPLAY: 'wayland-0' })).toBeUndefined();
  });
});

describe('ELECTRON_COMMANDS (gatehouse under Node)', () => {
  it('offers app, lock and askpass the way main/cli.ts lists commands, with the app’s usage', () => {
    expect(Object.keys(ELECTRON_COMMANDS).sort()).toEqual(['app', 'askpass', 'lock']);
    for (const command of Object.values(ELECTRON_COMMANDS)) {
      expect(command.summary).not.toBe('');
      expect(command.usage).toContain('gatehouse lock');
    }
  });
});

describe('runInElectron', () => {
  /** Runs with `env` set on process.env for the duration (runInElectron reads the real environment). */
  async function withEnv<T>(env: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
    try {
      return await run();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }

  it('starts the binary on the app directory with the arguments, and returns its exit status', async () => {
    // A stand-in for the Electron binary: records its arguments, exits with 7.
    const dir = makeTempDir('gatehouse-electron-dist-');
    const record = join(dir, 'argv');
    writeFileSync(join(dir, 'electron'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nexit 7\n`);
    chmodSync(join(dir, 'electron'), 0o755);
    const status = await withEnv({ ELECTRON_OVERRIDE_DIST_PATH: dir, DISPLAY: ':99' }, () => runInElectron(['lock', '--now']));
    expect(status).toBe(7);
    const expected = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), REPO_ROOT, 'lock', '--now'];
    expect(readFileSync(record, 'utf8').trim().split('\n')).toEqual(expected);
  });

  it('says how to get Electron when there is none, and does not start anything', async () => {
    const dir = makeTempDir('gatehouse-electron-dist-');
    const status = await withEnv({ ELECTRON_OVERRIDE_DIST_PATH: dir, DISPLAY: ':99' }, () => runInElectron(['lock']));
    expect(status).toBe(3);
  });

  it('refuses to start without a display', async () => {
    const dir = makeTempDir('gatehouse-electron-dist-');
    writeFileSync(join(dir, 'electron'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, 'electron'), 0o755);
    const status = await withEnv({ ELECTRON_OVERRIDE_DIST_PATH: dir, DISPLAY: undefined, WAYLAND_DISPLAY: undefined }, () => runInElectron(['lock']));
    expect(status).toBe(3);
  });
});
