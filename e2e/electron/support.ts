// What the Electron specs share: whether they can run, a private Xvfb per worker,
// launching Gatehouse on the demo PAM stack, and finding its windows.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { _electron, expect, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { createDemoStack, type DemoStack } from '../../demo/demo-stack.cjs';
import { REPO_ROOT } from '../../lab/paths';
import { keepOutput } from '../../lab/test-logs';
import { ELECTRON_HELP, findElectronBinary } from '../../main/launch/relaunch';

export { expect };

/** Why the Electron specs cannot run here, if they cannot. */
export function electronUnavailable(): string | undefined {
  const binary = findElectronBinary();
  if (!binary.found) return `${binary.reason}\n${ELECTRON_HELP}`;
  if (spawnSync('Xvfb', ['-help'], { stdio: 'ignore' }).error !== undefined) return 'Xvfb is not installed (apt package xvfb)';
  return undefined;
}

const unavailable = electronUnavailable();

/** Call at the top of every spec file: skips it, with the reason, where Electron cannot run. */
export function requireElectron(): void {
  test.skip(unavailable !== undefined, `no Electron here: ${unavailable ?? ''}`);
}

/** A private X server; its screen is wide enough to split into two monitors (hotplug.spec.ts). */
async function startXvfb(): Promise<{ display: string; stop(): void }> {
  const server: ChildProcess = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '2560x900x24', '-nolisten', 'tcp', '+extension', 'RANDR'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    server.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    server.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
  return { display, stop: () => void server.kill() };
}

export interface Gatehouse {
  app: ElectronApplication;
  stack: DemoStack;
  display: string;
  /** Resolves with the app's exit status. */
  exited: Promise<number | null>;
}

/**
 * The arguments with --config PATH after the command word (askpass, lock), if
 * there is one. Unlock mode gets --no-guard: these specs drive the shell's own
 * windows through Playwright, which the screen guard would run in a second
 * process (the guard's own tests: guard/test/, and guarded-unlock.spec.ts).
 */
function withConfig(args: string[], configPath: string): string[] {
  const [first, ...rest] = args;
  if (first !== undefined && !first.startsWith('-')) return [first, '--config', configPath, ...rest];
  const unlock = args.includes('unlock') || !args.includes('--mode');
  return ['--config', configPath, ...(unlock ? ['--no-guard'] : []), ...args];
}

interface Fixtures {
  /**
   * Starts Gatehouse with these arguments on a fresh demo stack (its --config is
   * added); stopped (SIGTERM) after the test if still running.
   */
  launch(args: string[]): Promise<Gatehouse>;
}

export const test = base.extend<Fixtures, { xvfb: { display: string } }>({
  xvfb: [
    async ({}, use) => {
      const server = await startXvfb();
      await use({ display: server.display });
      server.stop();
    },
    { scope: 'worker' },
  ],
  launch: async ({ xvfb }, use) => {
    const started: Gatehouse[] = [];
    await use(async (args) => {
      const binary = findElectronBinary();
      if (!binary.found) throw new Error(binary.reason);
      const stack = createDemoStack();
      const app = await _electron.launch({
        executablePath: binary.path,
        // Runtime switches first: Gatehouse's own arguments follow the app path.
        args: ['--disable-gpu', REPO_ROOT, ...withConfig(args, stack.configPath)],
        env: { ...process.env, DISPLAY: xvfb.display } as Record<string, string>,
        timeout: 60_000,
      });
      keepOutput('e2e-electron', app.process().pid, app.process().stdout, app.process().stderr);
      const exited = new Promise<number | null>((resolve) => {
        const child = app.process();
        if (child.exitCode !== null) resolve(child.exitCode);
        else child.once('exit', (code, signal) => resolve(code ?? (signal === null ? null : 128 + (signal === 'SIGTERM' ? 15 : 9))));
      });
      const gatehouse = { app, stack, display: xvfb.display, exited };
      started.push(gatehouse);
      return gatehouse;
    });
    for (const { app, stack, exited } of started) {
      if (app.process().exitCode === null) {
        app.process().kill('SIGTERM');
        await exited;
      }
      stack.remove();
    }
  },
});

const isConversation = (page: Page) => page.url().startsWith('app://gatehouse/');

/** The conversation window's page (the newest, when one has just been replaced). */
export async function conversation(app: ElectronApplication, except?: Page): Promise<Page> {
  await expect.poll(() => app.windows().filter((p) => isConversation(p) && p !== except && !p.isClosed()).length).toBeGreaterThan(0);
  const pages = app.windows().filter((p) => isConversation(p) && p !== except && !p.isClosed());
  const page = pages[pages.length - 1]!;
  await page.waitForLoadState('domcontentloaded');
  return page;
}

/** What the main process knows about the windows and displays. */
export function windowState(app: ElectronApplication) {
  return app.evaluate(({ BrowserWindow, screen }) => ({
    displays: screen.getAllDisplays().map((d) => ({ id: d.id, bounds: d.bounds })),
    windows: BrowserWindow.getAllWindows().map((w) => ({
      url: w.webContents.getURL(),
      bounds: w.getBounds(),
      visible: w.isVisible(),
      fullScreen: w.isFullScreen(),
      alwaysOnTop: w.isAlwaysOnTop(),
    })),
  }));
}

/**
 * The page's globals the specs look at, for callbacks run in the page by
 * page.evaluate (the Node-side type check has no DOM library).
 */
export interface PageGlobals {
  gatehouse?: Record<string, unknown>;
  require?: unknown;
  process?: unknown;
  isSecureContext: boolean;
  location: { origin: string; href: string };
  open(url: string): unknown;
  fetch(url: string): Promise<unknown>;
  Notification: { requestPermission(): Promise<string> };
  navigator: { mediaDevices: { getUserMedia(constraints: { audio: boolean }): Promise<unknown> } };
}

// The page is the same as in the browser specs: so are the ways to act on it.
export { answer, prompt } from '../support/screen';

/** Crashes the renderer of the conversation window, as a bug in Chromium would. */
export async function crashConversation(app: ElectronApplication): Promise<void> {
  await app.evaluate(({ webContents }) => {
    const target = webContents.getAllWebContents().find((c) => c.getURL().startsWith('app://gatehouse/'));
    if (target === undefined) throw new Error('no conversation window');
    target.forcefullyCrashRenderer();
  });
}
