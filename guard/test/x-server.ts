// A private X server for the guard's tests: Xvfb on a display of its own, with
// RandR, 2560x900 at most, started and stopped by the suite. The screen can shrink
// to its left half (mode gatehouse-half) and grow back, as a laptop's screen does
// when a monitor is plugged in; RandR 1.5 monitors can be added on top.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const FULL = { width: 2560, height: 900 };
export const HALF_MODE = 'gatehouse-half';

export interface XServer {
  display: string;
  env: NodeJS.ProcessEnv;
  /** Runs an X client to completion on this server; returns its stdout. */
  run(command: string, args: readonly string[]): string;
  /** The same, stdout as bytes. */
  runRaw(command: string, args: readonly string[]): Buffer;
  stop(): void;
}

/** Why the guard's tests cannot run here, if they cannot. */
export function xUnavailable(): string | undefined {
  const tools: [string, string[], string][] = [
    ['Xvfb', ['-help'], 'xvfb'],
    ['xrandr', ['--version'], 'x11-xserver-utils'],
    ['xwd', ['-help'], 'x11-apps'],
    ['xdotool', ['version'], 'xdotool'],
    ['xwininfo', ['-version'], 'x11-utils'],
    ['make', ['--version'], 'make'],
  ];
  for (const [command, args, pkg] of tools) {
    if (spawnSync(command, args, { stdio: 'ignore' }).error !== undefined) return `${command} is not installed (apt package ${pkg})`;
  }
  if (spawnSync('pkg-config', ['--exists', 'x11', 'xrandr', 'xres']).status !== 0) {
    return 'the X11 development files are missing (apt packages libx11-dev libxrandr-dev libxres-dev)';
  }
  return undefined;
}

export async function startXServer(): Promise<XServer> {
  const server: ChildProcess = spawn(
    'Xvfb',
    ['-displayfd', '3', '-noreset', '-nolisten', 'tcp', '+extension', 'RANDR', '-screen', '0', `${FULL.width}x${FULL.height}x24`],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] },
  );
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    server.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    server.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display };
  delete env.WAYLAND_DISPLAY;
  delete env.XAUTHORITY;
  const run = (command: string, args: readonly string[]) => execFileSync(command, [...args], { env, encoding: 'utf8' });
  run('xrandr', ['--newmode', HALF_MODE, '0', '1280', '0', '0', '0', '900', '0', '0', '0']);
  run('xrandr', ['--addmode', 'screen', HALF_MODE]);
  const runRaw = (command: string, args: readonly string[]) => execFileSync(command, [...args], { env, maxBuffer: 64 << 20 });
  return { display, env, run, runRaw, stop: () => void server.kill() };
}

/** The top-level windows of the screen as xwininfo lists them: id, name, geometry, and whether mapped. */
export function windowTree(server: XServer): string {
  return server.run('xwininfo', ['-root', '-tree']);
}
