// The browser host's HTTP server: the entry URL, the page and its files
// (page-handler.ts) and the WebSocket at /ws (ui-channel.ts), on 127.0.0.1 only,
// for one local user's browser only (peer-uid.ts).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_ANSWER_BYTES } from '../../protocol';
import { assertLoopback, LOOPBACK_HOST } from './loopback';
import { pageHandler } from './page-handler';
import { EntryGate } from './entry';
import { peerUid } from './peer-uid';
import { hostAllowed, originAllowed, requestUrl } from './request-checks';
import type { UiChannel } from './ui-channel';

/**
 * The largest frame accepted. The largest valid request is an answer of
 * MAX_ANSWER_BYTES whose every byte is written as a JSON \u escape (6 bytes), plus
 * the envelope; anything bigger is not a request and closes the socket (1009).
 */
export const MAX_FRAME_BYTES = 6 * MAX_ANSWER_BYTES + 1024;

export interface BrowserHostOptions {
  /** Must be 127.0.0.1. */
  host: string;
  /** 0: any free port. */
  port: number;
  rendererDir: string;
  channel: UiChannel;
  /** The uid whose connections are served (its browser); every other peer but root is cut off. */
  peerUid: number;
  log: (text: string) => void;
}

export interface BrowserHost {
  readonly port: number;
  /** The one-time entry URL: http://127.0.0.1:PORT/enter?ticket=... */
  readonly entryUrl: string;
  close(): Promise<void>;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  assertLoopback(options.host);
  let port = 0;
  let entry: EntryGate | undefined;
  const gate = (): EntryGate => {
    if (entry === undefined) throw new Error('the server is not listening yet');
    return entry;
  };
  const handlePage = pageHandler({ port: () => port, entry: gate, rendererDir: options.rendererDir, log: options.log });
  const server: Server = createServer((req, res) => {
    handlePage(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // Before any byte is read: a connection from another user's socket is cut off.
  // Root is let in too: it can read this process's memory anyway.
  server.on('connection', (socket) => {
    const uid = peerUid(socket);
    if (uid === options.peerUid || uid === 0) return;
    options.log(`gatehouse serve: refused a connection from ${uid === undefined ? 'a peer the kernel does not list' : `uid ${uid}`}`);
    socket.destroy();
  });
  // Slow or idle clients must not hold the loopback port's resources forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkHandshake(req, port, gate());
    if (refusal !== undefined) {
      options.log(`gatehouse serve: refused a WebSocket handshake: ${refusal.text}`);
      return reject(socket, refusal.status, refusal.text);
    }
    if (!options.channel.reserve()) {
      options.log('gatehouse serve: refused a second UI connection (one is open)');
      return reject(socket, 409, 'Conflict: another UI is connected to this seat');
    }
    let accepted = false;
    // A handshake ws aborts (bad Sec-WebSocket-Key, ...) never calls back: free the slot.
    socket.once('close', () => {
      if (!accepted) options.channel.release();
    });
    sockets.handleUpgrade(req, socket, head, (ws) => {
      accepted = true;
      options.channel.accept(ws);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: LOOPBACK_HOST, port: options.port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the HTTP server has no TCP address');
  port = address.port;
  entry = new EntryGate(port);

  return {
    port,
    entryUrl: `http://${LOOPBACK_HOST}:${port}${entry.entryPath}`,
    async close() {
      options.channel.close();
      sockets.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function checkHandshake(req: IncomingMessage, port: number, entry: EntryGate): { status: number; text: string } | undefined {
  if (!hostAllowed(req, port)) return { status: 403, text: 'Forbidden: wrong Host header' };
  const url = requestUrl(req);
  if (url === undefined || url.pathname !== '/ws') return { status: 404, text: 'Not Found' };
  if (!originAllowed(req, port)) return { status: 403, text: 'Forbidden: wrong Origin' };
  if (!entry.hasSession(req.headers.cookie)) return { status: 403, text: 'Forbidden: no session cookie' };
  return undefined;
}

function reject(socket: Duplex, status: number, text: string): void {
  const reason = text.split(':')[0];
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text) + 1}\r\n\r\n${text}\n`,
    () => socket.destroy(),
  );
}
