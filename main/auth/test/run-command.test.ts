// How a session command is run as its account.
import { describe, expect, it } from 'vitest';
import { asAccount } from '../run-command';

const account = { name: 'kiosk', uid: 1500, gid: 1500, fullName: '', home: '/home/kiosk', shell: '/bin/sh' };

describe('asAccount', () => {
  it('switches uid, gid and groups with setpriv', () => {
    expect(asAccount(account, ['/usr/bin/xterm'], { uid: 0, gid: 0 })).toEqual([
      expect.stringMatching(/setpriv$/),
      '--reuid=1500',
      '--regid=1500',
      '--init-groups',
      '--',
      '/usr/bin/xterm',
    ]);
    expect(asAccount({ ...account, uid: 0, gid: 0 }, ['/bin/sh'], { uid: 0, gid: 0 })[1]).toBe('--reuid=0');
  });

  it('runs the command as it is when a non-root engine already is that account', () => {
    expect(asAccount(account, ['/usr/bin/xterm'], { uid: 1500, gid: 1500 })).toEqual(['/usr/bin/xterm']);
    // Someone else: setpriv, which fails without root and says so.
    expect(asAccount(account, ['/usr/bin/xterm'], { uid: 1000, gid: 1000 })[0]).toMatch(/setpriv$/);
  });
});
