// The real app under the real guard: `gatehouse --mode unlock` on X11 starts
// gatehouse-guard, which covers the screen, grabs the input and runs the app
// again as its UI child; the conversation window is shown inside the guard's
// cover and typed into through the guard (xdotool, XTEST). Playwright cannot
// drive the UI child (a second Electron process), so this spec acts from outside
// as a person would, and checks with X clients. The guard's own behaviour is
// tested with a stand-in UI in guard/test/.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createDemoStack } from '../../demo/demo-stack.cjs';
import { buildGuard, CLIENT, COLOUR, startCanary } from '../../guard/test/guard-harness';
import { parseXwd } from '../../guard/test/xwd';
import { REPO_ROOT } from '../../lab/paths';
import { findElectronBinary } from '../../main/launch/relaunch';
import { expect, requireElectron, test } from './support';

requireElectron();

interface GuardedApp {
  process: ChildProcess;
  log: Record<string, unknown>[];
  exited: Promise<number | null>;
}

function x(display: string, command: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, DISPLAY: display }, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('exit', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${command} exited ${code}`))));
  });
}

function startGuarded(display: string, args: string[]): GuardedApp {
  const binary = findElectronBinary();
  if (!binary.found) throw new Error(binary.reason);
  const child = spawn(binary.path, ['--disable-gpu', REPO_ROOT, ...args], {
    env: { ...process.env, DISPLAY: display },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const log: Record<string, unknown>[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (line.startsWith('{"guard":')) log.push(JSON.parse(line) as Record<string, unknown>);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, log, exited };
}

test('unlock mode on X11 runs under the guard: covered, grabbed, typed into through the guard, released by the right password', async ({ xvfb }) => {
  buildGuard();
  const stack = createDemoStack();
  const canary = await startCanary({ ...process.env, DISPLAY: xvfb.display }, 100, 100);
  try {
    const app = startGuarded(xvfb.display, ['--config', stack.configPath, '--mode', 'unlock', '--user', 'alice']);
    await expect.poll(() => app.log.some((l) => l.guard === 'ui-window-shown'), { timeout: 60_000 }).toBe(true);
    expect((await x(xvfb.display, CLIENT.probe, ['once'])).toString().trim()).toBe('keyboard=already-grabbed pointer=already-grabbed');
    expect(parseXwd(await x(xvfb.display, 'xwd', ['-root', '-silent'])).count(COLOUR.canary)).toBe(0);

    // A renderer-independent crash of the whole UI: the guard keeps the screen and starts another.
    const first = app.log.find((l) => l.guard === 'ui-started')!.pid as number;
    process.kill(first, 'SIGKILL');
    await expect.poll(() => app.log.filter((l) => l.guard === 'ui-window-shown').length, { timeout: 60_000 }).toBe(2);
    expect((await x(xvfb.display, CLIENT.probe, ['once'])).toString().trim()).toBe('keyboard=already-grabbed pointer=already-grabbed');

    await x(xvfb.display, 'xdotool', ['type', '--delay', '20', 'not-alices-password']);
    await x(xvfb.display, 'xdotool', ['key', 'Return']);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(app.process.exitCode).toBeNull();
    await x(xvfb.display, 'xdotool', ['type', '--delay', '20', 'alice-demo']);
    await x(xvfb.display, 'xdotool', ['key', 'Return']);
    expect(await app.exited).toBe(0);
    expect(canary.received()).toEqual([]);
    expect((await x(xvfb.display, CLIENT.probe, ['once'])).toString().trim()).toBe('keyboard=success pointer=success');
  } finally {
    canary.stop();
    stack.remove();
  }
});
