// `gatehouse serve`: the browser host. One engine (one seat) behind an HTTP server
// on 127.0.0.1 that serves the built renderer and carries the protocol over a
// WebSocket, for one local user's browser (the peer's uid), which gets in once
// through a one-time entry URL and then holds an HttpOnly session cookie; Host
// and Origin are checked on every request.
//
// stdout is machine-readable, one JSON object per line: first
//   {"event":"listening","url":"http://127.0.0.1:PORT/enter?ticket=...","origin":"http://127.0.0.1:PORT"}
// then, after each flow, {"event":"outcome","mode":...,"user":...,"ok":...,"code":...}.
// Diagnostics and the engine's audit log go to stderr. The process is made
// non-dumpable before anything else: it holds answers.
import { makeProcessUndumpable } from '../../../native';
import type { Engine, EngineObserver, FlowOutcome } from '../../auth/api';
import type { Mode } from '../../protocol';
import { loopbackOrigin } from './loopback';
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
  /** Whose browser may connect (the uid owning the client socket); default: the uid serve runs as. */
  peerUid?: number;
  startEngine: (observer: EngineObserver) => Engine;
  /** Stops serving when aborted, as SIGTERM does (for hosts that serve alongside other work). */
  signal?: AbortSignal;
}

export { NonLoopbackError, LOOPBACK_HOST, assertLoopback } from './loopback';
export { enterServe, type ServeSession } from './entry-client';

/** Serves until SIGINT, SIGTERM or SIGHUP; resolves to the exit status. */
export async function runServe(options: ServeOptions): Promise<number> {
  makeProcessUndumpable();
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
      peerUid: options.peerUid ?? process.getuid?.() ?? 0,
      log,
    });
  } catch (error) {
    await engine.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    log(`gatehouse serve: cannot listen on ${options.host}:${options.port}: ${code}`);
    return 1;
  }
  // The entry URL goes to the launcher alone (stdout), once.
  printLine({ event: 'listening', url: host.entryUrl, origin: loopbackOrigin(host.port) });

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
