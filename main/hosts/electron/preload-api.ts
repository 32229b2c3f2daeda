// The object the preload exposes as `window.gatehouse`, built over a minimal
// transport so that its surface is tested without Electron. It carries protocol
// messages and nothing else: no ipcRenderer, no IPC event objects (whose
// `sender` would hand the page the whole ipcRenderer), no channel names.
import type { GatehouseBridge } from '../../protocol/bridge';
import type { Event, Request } from '../../protocol/messages';

export interface BridgeTransport {
  /** Sends one request to the main process. */
  send(request: unknown): void;
  /** Registers the one function that receives every event payload from the main process. */
  onEvent(receive: (payload: unknown) => void): void;
}

export function createGatehouseBridge(transport: BridgeTransport, protocolVersion: number): GatehouseBridge {
  const listeners = new Set<(event: Event) => void>();
  transport.onEvent((payload) => {
    for (const listener of [...listeners]) {
      try {
        listener(payload as Event);
      } catch (error) {
        // One broken listener must not starve the others of events.
        console.error('gatehouse: an event listener failed', error);
      }
    }
  });
  const bridge: GatehouseBridge = {
    protocolVersion,
    send(request: Request): void {
      // Validation happens in the main process; only the request itself crosses.
      // An answer crosses as its UTF-8 bytes, zeroed here once sent (IPC copies
      // synchronously): the main process never holds it as a string, and zeroes
      // its own copy once PAM has it.
      const value = (request as { type?: unknown; value?: unknown } | null)?.value;
      if ((request as { type?: unknown } | null)?.type === 'answer' && typeof value === 'string') {
        const bytes = new TextEncoder().encode(value);
        try {
          transport.send({ ...request, value: bytes });
        } finally {
          bytes.fill(0);
        }
        return;
      }
      transport.send(request);
    },
    subscribe(listener: (event: Event) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('subscribe: listener must be a function');
      // A wrapper per subscription, so that subscribing the same function twice
      // gives two independent subscriptions.
      const wrapper = (event: Event) => listener(event);
      listeners.add(wrapper);
      return () => {
        listeners.delete(wrapper);
      };
    },
  };
  return Object.freeze(bridge);
}
