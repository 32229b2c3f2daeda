// A real `gatehouse serve` process and clients for it: a WebSocket client (the ws
// package, as a page would connect, with the session cookie the entry URL gave)
// and raw HTTP requests (for what browsers never send: foreign Host headers,
// unnormalised paths).
import { randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import type { Event } from '../../../protocol';
import { PROTOCOL_VERSION } from '../../../protocol';
import { startCli, type RunningCli } from '../../../test/cli-process';
import { recordAnswer } from '../../../../lab/test-logs';
import { enterServe } from '../entry-client';

export interface Served {
  cli: RunningCli;
  /** The one-time entry URL serve printed (already spent unless `enter: false`). */
  url: string;
  port: number;
  origin: string;
  /** `name=value` of the session cookie the entry URL gave ('' with `enter: false`). */
  cookie: string;
}

/**
 * Starts `gatehouse serve ARGS...`, waits for its listening line and (unless
 * `enter` is false) spends the entry URL for the session cookie, as a browser would.
 */
export async function startServe(args: string[], options: { enter?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Served> {
  const cli = startCli(['serve', ...args], options.env === undefined ? {} : { env: options.env });
  const listening = await cli.nextEvent();
  if (listening.event !== 'listening') throw new Error(`first line was not "listening": ${JSON.stringify(listening)}`);
  const url = new URL(String(listening.url));
  const served: Served = { cli, url: url.href, port: Number(url.port), origin: url.origin, cookie: '' };
  if (options.enter !== false) served.cookie = await enter(served);
  return served;
}

/** Spends the entry URL (as entry-client.ts does for launchers): the `name=value` of the cookie it sets. */
export async function enter(served: Pick<Served, 'url'>): Promise<string> {
  return (await enterServe(served.url)).cookie;
}

/** Ends the serve process with SIGTERM and returns how it exited. */
export async function stopServe(served: Served) {
  served.cli.child.kill('SIGTERM');
  return served.cli.exited();
}

/** A UI connected over the WebSocket: sends requests, collects events. */
export class UiClient {
  readonly events: Event[] = [];
  readonly #socket: WebSocket;
  readonly #waiters = new Set<() => void>();
  closed: { code: number; reason: string } | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      this.events.push(JSON.parse(String(data)) as Event);
      for (const waiter of this.#waiters) waiter();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      for (const waiter of this.#waiters) waiter();
    });
  }

  static connect(served: Served, options: { cookie?: string | null; origin?: string | null } = {}): Promise<UiClient> {
    const cookie = options.cookie === undefined ? served.cookie : options.cookie;
    const origin = options.origin === undefined ? served.origin : options.origin;
    const socket = new WebSocket(`ws://127.0.0.1:${served.port}/ws`, {
      ...(origin === null ? {} : { origin }),
      ...(cookie === null ? {} : { headers: { Cookie: cookie } }),
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new UiClient(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new HandshakeRefused(res.statusCode ?? 0)));
      socket.once('error', reject);
    });
  }

  send(body: Record<string, unknown>): void {
    if (body.type === 'answer' && typeof body.value === 'string') recordAnswer(body.value);
    this.#socket.send(JSON.stringify({ v: PROTOCOL_VERSION, ...body }));
  }

  sendRaw(data: string | Buffer, options: { binary?: boolean } = {}): void {
    this.#socket.send(data, { binary: options.binary ?? false });
  }

  /** The next event (after those already taken with `next`) that `match` accepts. */
  #taken = 0;
  next<T extends Event['type']>(type: T, timeoutMs = 20_000): Promise<Extract<Event, { type: T }>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        while (this.#taken < this.events.length) {
          const e = this.events[this.#taken++]!;
          if (e.type === type) {
            done();
            resolve(e as Extract<Event, { type: T }>);
            return;
          }
        }
        if (this.closed !== undefined) {
          done();
          reject(new Error(`the socket closed (${this.closed.code}) before a '${type}' event`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no '${type}' event within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Resolves when the server has closed the socket. */
  whenClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.closed === undefined) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(this.closed);
      };
      const timer = setTimeout(() => reject(new Error('the socket did not close')), timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  close(): Promise<void> {
    if (this.closed !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.close();
    });
  }
}

export class HandshakeRefused extends Error {
  constructor(readonly status: number) {
    super(`the WebSocket handshake was refused with HTTP ${status}`);
  }
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request exactly as given (path not normalised, any Host). */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket handshake with exactly these headers: the HTTP status it gets (101 when accepted). */
export function rawHandshake(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
