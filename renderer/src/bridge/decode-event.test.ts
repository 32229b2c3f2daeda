import { describe, expect, it } from 'vitest';
import { ev } from '../testing/events';
import { decodeEvent } from './decode-event';

describe('decodeEvent', () => {
  it('accepts every event the engine sends', () => {
    const events = [
      ev.context({ users: [{ name: 'bob', displayName: 'Bob' }], sessions: [{ id: 'x', name: 'X' }], power: ['reboot'] }),
      ev.context({ mode: 'elevate', elevate: { action: 'a', program: 'p' }, user: undefined }),
      ev.context({
        mode: 'elevate',
        elevate: { action: 'a', program: 'p', actionId: 'org.example.run', details: [{ name: 'n', value: 'v' }], request: 'r1' },
      }),
      { v: 1, type: 'outcome', ok: false, code: 'PAM_AUTH_ERR', reason: 'r', final: true },
      ev.context({
        identity: { displayName: 'Alice Liddell', picture: 'data:image/png;base64,iVBORw0KGgo=' },
        users: [{ name: 'bob', picture: 'data:image/jpeg;base64,/9j/' }],
        keyboardLayouts: [{ layout: 'de', variant: 'nodeadkeys' }, { layout: 'us' }],
      }),
      ev.prompt('b', 0, 1, 'Password: '),
      ev.prompt('b', 0, 1, 'Proceed?', 'radio'),
      ev.info('hello'),
      ev.error('oops'),
      ev.phase('change-password'),
      ev.busy(),
      ev.delay(123, 'lockout'),
      ev.outcome(false, 'PAM_AUTH_ERR', 'Authentication failure'),
      { v: 1, type: 'outcome', ok: true, reason: 'fine' },
      ev.refused('no', 'begin'),
      ev.refused('no'),
    ];
    for (const event of events) expect(decodeEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('drops what the UI could not render safely', () => {
    const bad: unknown[] = [
      null,
      'text',
      [],
      { v: 2, type: 'busy' },
      { v: 1, type: 'unknown' },
      { v: 1, type: 'toString' },
      { v: 1, type: 'message', kind: 'info', text: { html: '<b>x</b>' } },
      // A picture is an image the engine read, never an address the page would fetch.
      ev.context({ identity: { picture: 'https://example.com/me.png' } }),
      ev.context({ identity: { picture: 'data:image/svg+xml;base64,PHN2Zz4=' } }),
      ev.context({ users: [{ name: 'bob', picture: 'file:///etc/shadow' }] }),
      ev.context({ keyboardLayouts: [{ layout: 1 }] } as never),
      { v: 1, type: 'message', kind: 'warning', text: 'x' },
      { v: 1, type: 'prompt', id: 'a', batch: 'b', index: '0', count: 1, style: 'echo-off', text: 'P' },
      { v: 1, type: 'prompt', id: 'a', batch: 'b', index: 0, count: 1, style: 'binary', text: 'P' },
      { ...ev.context(), users: [{ name: 1 }] },
      { ...ev.context(), power: ['selfdestruct'] },
      { ...ev.context(), elevate: { action: 'a' } },
      { ...ev.context(), elevate: { action: 'a', program: 'p', actionId: 7 } },
      { ...ev.context(), elevate: { action: 'a', program: 'p', details: [{ name: 'n', value: { html: 'x' } }] } },
      { ...ev.context(), elevate: { action: 'a', program: 'p', details: 'n=v' } },
      { v: 1, type: 'outcome', ok: false, reason: 'r', final: 'yes' },
      { v: 1, type: 'delay', until: 'soon', reason: 'fail-delay' },
      { v: 1, type: 'outcome', ok: 'yes', reason: 'r' },
    ];
    for (const input of bad) expect(decodeEvent(input)).toBeUndefined();
  });
});
