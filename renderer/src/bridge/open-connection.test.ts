import { describe, expect, it } from 'vitest';
import { fakeBridge } from '../testing/fake-bridge';
import { ev } from '../testing/events';
import { openConnection } from './open-connection';

const location = (search: string, protocol = 'http:') => ({ protocol, host: '127.0.0.1:5', search }) as Location;

describe('openConnection', () => {
  it('uses the preload bridge when there is one: always open, hello at once, events held for the UI', () => {
    const fake = fakeBridge();
    const opened = openConnection({ gatehouse: fake.bridge, location: location('?token=ignored') });
    if (!opened.ok) throw new Error('expected a connection');
    expect(fake.sent).toEqual([{ v: 1, type: 'hello' }]);
    fake.emit(ev.context());
    const statuses: string[] = [];
    const events: unknown[] = [];
    opened.connection.onStatus((s) => statuses.push(s));
    opened.connection.bridge.subscribe((e) => events.push(e));
    expect(statuses).toEqual(['open']);
    expect(events).toEqual([ev.context()]);
    opened.connection.bridge.send({ v: 1, type: 'cancel' });
    expect(fake.sent).toEqual([{ v: 1, type: 'hello' }, { v: 1, type: 'cancel' }]);
  });

  it('refuses a preload that speaks another protocol version', () => {
    const { bridge } = fakeBridge();
    expect(openConnection({ gatehouse: { ...bridge, protocolVersion: 2 }, location: location('') })).toEqual({ ok: false, problem: 'incompatible' });
  });

  it('needs a page served by gatehouse serve', () => {
    expect(openConnection({ gatehouse: undefined, location: location('', 'file:') })).toEqual({ ok: false, problem: 'no-token' });
  });
});
