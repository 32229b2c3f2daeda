// The API a UI sees as `window.gatehouse`: the Electron preload exposes it through
// contextBridge; the browser host (`gatehouse serve`) provides the same object over
// its WebSocket. It carries protocol messages and nothing else.
import type { Event, Request } from './messages';

export interface GatehouseBridge {
  /** The protocol version this side speaks (PROTOCOL_VERSION). */
  readonly protocolVersion: number;
  /** Sends one request to the engine. Invalid requests come back as a `refused` event. */
  send(request: Request): void;
  /** Delivers every later event to `listener`; returns the function that stops it. */
  subscribe(listener: (event: Event) => void): () => void;
}

declare global {
  interface Window {
    gatehouse?: GatehouseBridge;
  }
}
