// A GatehouseBridge for unit tests: records what the UI sends, delivers what the
// test emits. The e2e suites use the real browser host instead.
import type { Event, GatehouseBridge, Request } from '../protocol';

export interface FakeBridge {
  bridge: GatehouseBridge;
  sent: Request[];
  emit(event: Event): void;
}

export function fakeBridge(): FakeBridge {
  const sent: Request[] = [];
  const listeners = new Set<(event: Event) => void>();
  return {
    bridge: {
      protocolVersion: 1,
      send: (request) => void sent.push(request),
      subscribe(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    },
    sent,
    emit: (event) => listeners.forEach((listener) => listener(event)),
  };
}
