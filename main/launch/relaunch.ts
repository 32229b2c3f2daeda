// Running the Electron app from plain Node: `gatehouse lock` (and the other app
// commands) in a development checkout, where `gatehouse` is main/cli.ts under
// Node, and `npm start`. The packaged app is Electron itself and never comes here.
//
// Never require('electron') from Node: without its binary the package tries to
// download one. The binary is looked up the way the package does it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isExecutable } from '../executables';
import { sleepLockFdOf, stdioPassingOn } from '../lock/lock-support';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/** How to get an Electron binary, for people who have none. */
export const ELECTRON_HELP = `Electron's binary is not installed. To get it:
  - with network access: node node_modules/electron/install.js   (or reinstall: npm ci)
  - from an unpacked Electron ${electronVersion() ?? ''} elsewhere: ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron-dir
The same UI runs in a browser without Electron: gatehouse serve --mode unlock ...`;

function electronPackageDir(): string | undefined {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

function electronVersion(): string | undefined {
  const dir = electronPackageDir();
  if (dir === undefined) return undefined;
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Where the Electron binary is: $ELECTRON_OVERRIDE_DIST_PATH, else node_modules/electron/dist. */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override !== undefined && override !== '') {
    const path = join(override, 'electron');
    return isExecutable(path)
      ? { found: true, path }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${path} is not an executable` };
  }
  const dir = electronPackageDir();
  if (dir === undefined) return { found: false, reason: 'the electron package is not installed' };
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return { found: false, reason: `no Electron binary in ${join(dir, 'dist')}` };
  const path = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return isExecutable(path) ? { found: true, path } : { found: false, reason: `${path} is not an executable` };
}

/** The checkout's root: the nearest directory up from here with the gatehouse package.json. */
export function appDirectory(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gatehouse') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    if (dirname(dir) === dir) throw new Error('gatehouse: cannot find the app directory (package.json)');
  }
}

/** Whether a `gatehouse` command line belongs to the Electron app (see command-line.ts). */
export function isElectronCommandLine(argv: readonly string[]): boolean {
  const first = argv[0];
  if (first === undefined) return false;
  if (first === 'app' || first === 'lock' || first === 'askpass') return true;
  return first.startsWith('-') && first !== '--help' && first !== '-h' && first !== '--version';
}

/** Why the app cannot show windows here, if it cannot. */
export function missingDisplay(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if ((env.DISPLAY ?? '') !== '' || (env.WAYLAND_DISPLAY ?? '') !== '') return undefined;
  return 'no display: DISPLAY and WAYLAND_DISPLAY are unset (run it in a graphical session, or under xvfb-run)';
}

/** The arguments for the Electron binary: the app, then Gatehouse's own. */
export function electronArguments(argv: readonly string[], appDir: string, isRoot: boolean): string[] {
  // Chromium refuses to start as root with its sandbox on; the renderers stay
  // isolated by contextIsolation, sandbox: true and the app's hardening (docs/electron.md).
  return [...(isRoot ? ['--no-sandbox'] : []), appDir, ...argv];
}

/** Runs `gatehouse ARGV` in Electron; resolves with its exit status (3 when it cannot run). */
export function runInElectron(argv: readonly string[]): Promise<number> {
  const binary = findElectronBinary();
  if (!binary.found) {
    process.stderr.write(`gatehouse: ${binary.reason}\n${ELECTRON_HELP}\n`);
    return Promise.resolve(3);
  }
  const noDisplay = missingDisplay();
  if (noDisplay !== undefined) {
    process.stderr.write(`gatehouse: ${noDisplay}\n`);
    return Promise.resolve(3);
  }
  const sleepLockFd = sleepLockFdOf(process.env);
  const child = spawn(binary.path, electronArguments(argv, appDirectory(), process.getuid?.() === 0), {
    stdio: stdioPassingOn(['inherit', 'inherit', 'inherit'], sleepLockFd),
  });
  // xss-lock's sleep lock now belongs to the app (and its guard): let go of ours.
  if (sleepLockFd !== undefined) closeSync(sleepLockFd);
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const handler = forward(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`gatehouse: Electron could not start: ${error.message}\n`);
      resolve(3);
    });
    child.on('exit', (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
      resolve(code ?? 128 + (signal === null ? 15 : (signalNumbers[signal] ?? 15)));
    });
  });
}
