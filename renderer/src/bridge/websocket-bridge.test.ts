import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from './connection';
import { serveSocketUrl, webSocketConnection, type SocketLike } from './websocket-bridge';
import { ev } from '../testing/events';
import { requests } from '../protocol';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  receive(data: unknown) {
    this.onmessage?.({ data });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ callback: () => void; ms: number }> = [];
  const connection = webSocketConnection({
    url: 'ws://127.0.0.1:9/ws?token=t',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    retryDelaysMs: [10, 20],
    setTimer: (callback, ms) => timers.push({ callback, ms }),
  });
  const statuses: ConnectionStatus[] = [];
  connection.onStatus((s) => statuses.push(s));
  return { connection, sockets, timers, statuses, socket: () => sockets[sockets.length - 1]! };
}

describe('webSocketConnection', () => {
  it('says hello on open, delivers decoded events, sends requests as one JSON text frame each', () => {
    const h = harness();
    const events: unknown[] = [];
    h.connection.bridge.subscribe((e) => events.push(e));
    h.socket().open();
    h.connection.bridge.send(requests.begin());
    expect(h.socket().sent).toEqual(['{"v":1,"type":"hello"}', '{"v":1,"type":"begin"}']);
    h.socket().receive(JSON.stringify(ev.prompt('b', 0, 1, 'Password: ')));
    h.socket().receive('not json');
    h.socket().receive(JSON.stringify({ v: 1, type: 'message', kind: 'info', text: 42 }));
    expect(events).toEqual([ev.prompt('b', 0, 1, 'Password: ')]);
    expect(h.statuses).toEqual(['connecting', 'open']);
  });

  it('holds the events that arrive before the UI subscribes', () => {
    const h = harness();
    h.socket().open();
    h.socket().receive(JSON.stringify(ev.context()));
    const events: unknown[] = [];
    h.connection.bridge.subscribe((e) => events.push(e));
    expect(events).toEqual([ev.context()]);
    h.socket().receive(JSON.stringify(ev.busy()));
    expect(events).toEqual([ev.context(), ev.busy()]);
  });

  it('sends nothing while the link is down, and says hello again on the next link', () => {
    const h = harness();
    h.connection.bridge.send(requests.begin());
    h.socket().open();
    h.socket().drop();
    h.connection.bridge.send(requests.answer('b.0', 'never queued'));
    h.timers[0]!.callback();
    h.socket().open();
    expect(h.sockets.map((s) => s.sent)).toEqual([['{"v":1,"type":"hello"}'], ['{"v":1,"type":"hello"}']]);
  });

  it('reconnects with growing waits, reports lost and open again', () => {
    const h = harness();
    h.socket().drop(); // the first attempt fails: still connecting
    expect(h.statuses).toEqual(['connecting']);
    expect(h.timers.map((t) => t.ms)).toEqual([10]);
    h.timers[0]!.callback();
    h.socket().open();
    h.socket().drop();
    expect(h.statuses).toEqual(['connecting', 'open', 'lost']);
    expect(h.timers.map((t) => t.ms)).toEqual([10, 10]);
    h.timers[1]!.callback();
    h.socket().drop();
    expect(h.timers.map((t) => t.ms)).toEqual([10, 10, 20]);
    h.timers[2]!.callback();
    h.socket().open();
    expect(h.statuses).toEqual(['connecting', 'open', 'lost', 'open']);
    expect(h.sockets).toHaveLength(4);
  });

  it('stops delivering to an unsubscribed listener', () => {
    const h = harness();
    const events: unknown[] = [];
    const unsubscribe = h.connection.bridge.subscribe((e) => events.push(e));
    h.socket().open();
    unsubscribe();
    h.socket().receive(JSON.stringify(ev.busy()));
    expect(events).toEqual([]);
  });
});

describe('serveSocketUrl', () => {
  it('is the /ws endpoint of the page own host, with no secret in it (the cookie carries the session)', () => {
    expect(serveSocketUrl({ protocol: 'http:', host: '127.0.0.1:4100' })).toBe('ws://127.0.0.1:4100/ws');
    expect(serveSocketUrl({ protocol: 'https:', host: 'h:1' })).toBe('wss://h:1/ws');
  });

  it('is undefined for a page that no browser host served', () => {
    expect(serveSocketUrl({ protocol: 'file:', host: '' })).toBeUndefined();
  });
});
