// A GatehouseBridge plus the state of the link under it. A Connection says hello
// each time its link opens (the protocol's first message), and holds the events
// that arrive before the UI has subscribed: the page opens its link before React
// has even been evaluated (connect.ts), so the context is often there first.
import { requests, type Event, type GatehouseBridge } from '../protocol';

export type ConnectionStatus = 'connecting' | 'open' | 'lost';

export interface Connection {
  readonly bridge: GatehouseBridge;
  /** Calls `listener` with the current status now and with every change; returns the unsubscribe. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

/**
 * Delivers events to the subscribed listeners; until the first one subscribes,
 * keeps them and hands them over on subscription.
 */
export class EventRelay {
  readonly #listeners = new Set<(event: Event) => void>();
  #held: Event[] | undefined = [];

  deliver(event: Event): void {
    if (this.#held !== undefined) {
      this.#held.push(event);
      return;
    }
    for (const listener of [...this.#listeners]) listener(event);
  }

  subscribe(listener: (event: Event) => void): () => void {
    this.#listeners.add(listener);
    const held = this.#held;
    this.#held = undefined;
    for (const event of held ?? []) listener(event);
    return () => void this.#listeners.delete(listener);
  }
}

/** The Electron case: the preload's bridge, always open; hello goes out at once. */
export function preloadConnection(preload: GatehouseBridge): Connection {
  const relay = new EventRelay();
  preload.subscribe((event) => relay.deliver(event));
  preload.send(requests.hello());
  return {
    bridge: {
      protocolVersion: preload.protocolVersion,
      send: (request) => preload.send(request),
      subscribe: (listener) => relay.subscribe(listener),
    },
    onStatus(listener) {
      listener('open');
      return () => {};
    },
  };
}
