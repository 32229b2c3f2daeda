// Where the page's link to the engine comes from: the Electron preload puts
// window.gatehouse in place before the page runs; in a browser the page opens the
// browser host's WebSocket itself (the session cookie goes with the handshake).
import { PROTOCOL_VERSION } from '../protocol';
import { preloadConnection, type Connection } from './connection';
import { serveSocketUrl, webSocketConnection } from './websocket-bridge';

export type OpenedConnection =
  | { ok: true; connection: Connection }
  | { ok: false; problem: 'no-token' | 'incompatible' };

export function openConnection(win: Pick<Window, 'gatehouse' | 'location'>): OpenedConnection {
  const preload = win.gatehouse;
  if (preload !== undefined) {
    return preload.protocolVersion === PROTOCOL_VERSION
      ? { ok: true, connection: preloadConnection(preload) }
      : { ok: false, problem: 'incompatible' };
  }
  const url = serveSocketUrl(win.location);
  if (url === undefined) return { ok: false, problem: 'no-token' };
  return { ok: true, connection: webSocketConnection({ url }) };
}
