// window.gatehouse for the browser host: `gatehouse serve` carries the protocol
// over a WebSocket at /ws on the page's own origin, one JSON message per text frame.
import { PROTOCOL_VERSION, requests, type GatehouseBridge, type Request } from '../protocol';
import { EventRelay, type Connection, type ConnectionStatus } from './connection';
import { decodeEvent } from './decode-event';

/** The part of the DOM WebSocket this bridge uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface WebSocketBridgeOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** Waits before each reconnection attempt; the last one repeats. */
  retryDelaysMs?: readonly number[];
  setTimer?: (callback: () => void, ms: number) => unknown;
}

const OPEN = 1;
const DEFAULT_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000];

export function webSocketConnection(options: WebSocketBridgeOptions): Connection {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as SocketLike);
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const setTimer = options.setTimer ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
  const relay = new EventRelay();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let status: ConnectionStatus = 'connecting';
  let socket: SocketLike;
  let failedAttempts = 0;

  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  };

  const open = () => {
    socket = createSocket(options.url);
    socket.onopen = () => {
      failedAttempts = 0;
      // Every new link starts with hello: the engine answers with the context
      // (and, mid-flow, the pending prompts).
      socket.send(JSON.stringify(requests.hello()));
      setStatus('open');
    };
    socket.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.data);
      } catch {
        return;
      }
      const event = decodeEvent(parsed);
      if (event !== undefined) relay.deliver(event);
    };
    // An error is always followed by close; reconnecting is close's job.
    socket.onerror = () => {};
    socket.onclose = () => {
      // 'connecting' until the first open; 'lost' from a drop until the next open.
      if (status === 'open') setStatus('lost');
      const delay = retryDelays[Math.min(failedAttempts, retryDelays.length - 1)] ?? 1000;
      failedAttempts += 1;
      setTimer(open, delay);
    };
  };

  const bridge: GatehouseBridge = {
    protocolVersion: PROTOCOL_VERSION,
    send(request: Request) {
      // Requests only mean something to the engine on a live link: after a
      // reconnection the conversation starts over with hello, so nothing is queued.
      if (socket.readyState === OPEN) socket.send(JSON.stringify(request));
    },
    subscribe: (listener) => relay.subscribe(listener),
  };

  open();
  return {
    bridge,
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => statusListeners.delete(listener);
    },
  };
}

/**
 * The WebSocket URL of the browser host that served this page, or undefined for a
 * page not served over HTTP. No secret is in it: the handshake carries the
 * session cookie the entry URL set (HttpOnly, out of the page's reach).
 */
export function serveSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string | undefined {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return undefined;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws`;
}
