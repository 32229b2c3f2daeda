// The X server of a user's X11 session: started fresh for each login (Xorg on
// the session's VT on a machine; Xvfb in the tests), with -displayfd so that it
// picks a free display number and says when it is ready, and -auth so that it
// takes only clients with the session's cookie.
import { spawn, type ChildProcess } from 'node:child_process';

export interface XServerOptions {
  /** The server's command (argv): the configured one, e.g. /usr/bin/Xorg -nolisten tcp. */
  argv: readonly string[];
  /** The server's own Xauthority file (root's). */
  authFile: string;
  /** The VT it runs on (Xorg's vtN argument), when the session has one. */
  vt?: number;
  /** How long the server may take to say it is ready. */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface XServer {
  /** The display number (1 for :1). */
  display: number;
  pid: number;
  /** Stops the server: SIGTERM, SIGKILL after a grace period; resolves once it has exited. */
  stop(): Promise<void>;
}

export class XServerError extends Error {}

const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;

export function startXServer(options: XServerOptions): Promise<XServer> {
  const [file, ...args] = options.argv;
  if (file === undefined) return Promise.reject(new XServerError('no X server command'));
  const argv = [...args, '-displayfd', '3', '-auth', options.authFile, ...(options.vt === undefined ? [] : [`vt${options.vt}`])];
  return new Promise((resolve, reject) => {
    // The server's log goes where the daemon's goes (the journal).
    const child = spawn(file, argv, { stdio: ['ignore', 'ignore', 'inherit', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    let output = '';
    let settled = false;
    const fail = (problem: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      void stopChild(child, exited);
      reject(new XServerError(problem));
    };
    const onAbort = () => fail('the login was stopped');
    const timer = setTimeout(() => fail(`the X server was not ready within ${options.readyTimeoutMs ?? READY_TIMEOUT_MS} ms`), options.readyTimeoutMs ?? READY_TIMEOUT_MS);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => fail(`the X server could not be started (${(error as NodeJS.ErrnoException).code ?? 'error'})`));
    child.once('exit', (code, signal) => fail(`the X server exited before it was ready (${signal ?? `status ${code}`})`));
    const displayPipe = child.stdio[3] as NodeJS.ReadableStream;
    displayPipe.setEncoding('latin1');
    displayPipe.on('data', (chunk: string) => {
      output += chunk;
      if (!output.includes('\n') || settled) return;
      const display = Number(output.trim());
      if (!Number.isSafeInteger(display) || display < 0) return fail('the X server named no display');
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ display, pid: child.pid!, stop: () => stopChild(child, exited) });
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
