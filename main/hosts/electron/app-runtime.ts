// The Electron process around the shell: what must happen before `ready` (the
// app:// scheme, the sandbox for every renderer, a throw-away session directory),
// the session the windows use, and the process-level guards: a quit the shell did
// not decide is refused, termination signals end it cleanly.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, Menu, session as electronSession, type Session } from 'electron';
import type { BuiltFiles } from './app-origin';
import { hardenSession, hardenWebContents } from './hardening';
import { registerAppScheme, serveAppScheme } from './protocol-handler';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** Switches that open the app to a debugger; a production build refuses to start with them. */
const DEBUG_SWITCHES = ['remote-debugging-port', 'remote-debugging-pipe', 'inspect', 'inspect-brk', 'inspect-port'];

let sessionDataDir: string | undefined;

/**
 * True in a packaged build that is not a test build (build/electron-builder.test.json
 * marks those in package.json: "gatehouseBuild": "test"). Devtools and debug switches
 * are refused in production.
 */
export function isProductionBuild(): boolean {
  if (!app.isPackaged) return false;
  try {
    const metadata = JSON.parse(readFileSync(join(app.getAppPath(), 'package.json'), 'utf8')) as { gatehouseBuild?: unknown };
    return metadata.gatehouseBuild !== 'test';
  } catch {
    return true;
  }
}

/** Everything that has to happen before the app is ready. Call at startup, synchronously. */
export function prepareApp(production: boolean): void {
  registerAppScheme();
  app.enableSandbox();
  app.setName('Gatehouse');
  // Caches, local storage and the like go to a private directory that is removed
  // on exit: nothing of a lock screen's session outlives it.
  const base = process.env.XDG_RUNTIME_DIR !== undefined && process.env.XDG_RUNTIME_DIR !== '' ? process.env.XDG_RUNTIME_DIR : tmpdir();
  sessionDataDir = mkdtempSync(join(base, 'gatehouse-'));
  app.setPath('sessionData', sessionDataDir);
  // Every webContents, the shell's windows and any other (devtools), gets the same rules.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, production));
}

/** Refuses debug switches in production; returns a reason to stop, if any. */
export function debugSwitchRefusal(production: boolean): string | undefined {
  if (!production) return undefined;
  const found = DEBUG_SWITCHES.find((name) => app.commandLine.hasSwitch(name));
  return found === undefined ? undefined : `--${found} is not allowed in a production build`;
}

/** The in-memory session every window uses, hardened and serving app://. Call after ready. */
export function createShellSession(files: BuiltFiles, production: boolean): Session {
  Menu.setApplicationMenu(null);
  const shellSession = electronSession.fromPartition('gatehouse-shell', { cache: false });
  hardenSession(shellSession, production);
  serveAppScheme(shellSession, files);
  return shellSession;
}

export interface ProcessGuards {
  /** Whether a quit (before-quit, the last window closing) may go ahead now. */
  mayQuit(): boolean;
  /** A termination signal arrived. */
  onSignal(signal: (typeof SIGNALS)[number]): void;
}

export function installProcessGuards(guards: ProcessGuards): void {
  // With a listener, Electron no longer quits when the last window closes.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => {
    if (!guards.mayQuit()) event.preventDefault();
  });
  for (const signal of SIGNALS) process.on(signal, () => guards.onSignal(signal));
}

/** Ends the process with this status (no before-quit: the shell has finished). */
export function exitApp(exitCode: number): void {
  if (sessionDataDir !== undefined) rmSync(sessionDataDir, { recursive: true, force: true });
  app.exit(exitCode);
}
