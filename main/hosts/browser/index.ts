// `gatehouse serve`: the browser host. One engine (one seat) behind an HTTP server
// on 127.0.0.1 that serves the built renderer and carries the protocol over a
// WebSocket, guarded by a random token, Host and Origin checks.
//
// stdout is machine-readable, one JSON object per line: first
//   {"event":"listening","url":"http://127.0.0.1:PORT/?token=..."}
// then, after each flow, {"event":"outcome","mode":...,"user":...,"ok":...,"code":...}.
// Diagnostics and the engine's audit log go to stderr.
import type { Engine, EngineObserver, FlowOutcome } from '../../auth/api';
import type { Mode } from '../../protocol';
import { startBrowserHost, type BrowserHost } from './server';
import { defaultRendererDir } from './static-files';
import { UiChannel } from './ui-channel';

export interface ServeOptions {
  mode: Mode;
  /** Must be 127.0.0.1 (anything else is refused). */
  host: string;
  /** 0: any free port. */
  port: number;
  /** The built renderer (default: dist/renderer of this checkout). */
  rendererDir?: string;
  startEngine: (observer: EngineObserver) => Engine;
  /** Stops serving when aborted, as SIGTERM does (for hosts that serve alongside other work). */
  signal?: AbortSignal;
}

export { NonLoopbackError, LOOPBACK_HOST, assertLoopback } from './loopback';

/** Serves until SIGINT, SIGTERM or SIGHUP; resolves to the exit status. */
export async function runServe(options: ServeOptions): Promise<number> {
  const log = (text: string) => void process.stderr.write(`${text}\n`);
  const printLine = (value: Record<string, unknown>) => void process.stdout.write(`${JSON.stringify(value)}\n`);

  const channel = new UiChannel(log);
  // A remote engine (--engine) that goes away ends serve: there is nothing left to serve.
  let engineLost: ((reason: string) => void) | undefined;
  const lost = new Promise<string>((resolve) => (engineLost = resolve));
  const engine = options.startEngine({
    event: (e) => channel.send(e),
    outcome: (outcome: FlowOutcome) =>
      printLine({ event: 'outcome', mode: outcome.mode, user: outcome.user ?? null, ok: outcome.ok, code: outcome.code }),
    closed: (reason) => engineLost?.(reason),
  });
  channel.bind(engine);

  let host: BrowserHost;
  try {
    host = await startBrowserHost({
      host: options.host,
      port: options.port,
      rendererDir: options.rendererDir ?? defaultRendererDir(),
      channel,
      log,
    });
  } catch (error) {
    await engine.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    log(`gatehouse serve: cannot listen on ${options.host}:${options.port}: ${code}`);
    return 1;
  }
  printLine({ event: 'listening', url: host.url });

  // A remote engine (--engine) that goes away ends serve, with status 1.
  let engineGone = false;
  const stopped = await new Promise<string>((resolve) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const onStop = (why: string) => {
      for (const s of signals) process.off(s, onStop);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(why);
    };
    const onAbort = () => onStop('stopped');
    for (const s of signals) process.on(s, onStop);
    if (options.signal?.aborted === true) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    void lost.then((reason) => {
      engineGone = true;
      onStop(`the engine is gone (${reason})`);
    });
  });
  log(`gatehouse serve: ${stopped}: shutting down`);
  await engine.close();
  await host.close();
  return engineGone ? 1 : 0;
}
