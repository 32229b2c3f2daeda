// Deciding to lock under the guard, and the guard's UI child's command line.
import { describe, expect, it } from 'vitest';
import { childCommand, runtimePrefix, unlockArgumentsForLock } from '../guard/child-command';
import { guardCandidates, guardPath, lockSupport, stdioPassingOn } from '../../../lock/lock-support';
import { EXIT } from '../../../exit-codes';
import { describeFault, faultResponse } from '../process-faults';

const GUARD = '/opt/Gatehouse/resources/libexec/gatehouse-guard';
const present = () => true;

describe('lockSupport', () => {
  it('locks an X11 session with the guard installed', () => {
    expect(lockSupport({ DISPLAY: ':0' }, GUARD, present)).toEqual({ ok: true, guard: GUARD });
    expect(lockSupport({ DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' }, GUARD, present).ok).toBe(true);
  });

  it('refuses Wayland sessions, saying why and what to use instead', () => {
    for (const env of [{ WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }, { XDG_SESSION_TYPE: 'wayland', DISPLAY: ':1' }]) {
      const support = lockSupport(env, GUARD, present);
      expect(support.ok).toBe(false);
      expect(!support.ok && support.reason).toMatch(/Wayland session: Gatehouse cannot lock it.*Xwayland.*ext-session-lock.*swaylock/);
    }
  });

  it('refuses without a display or without the guard', () => {
    expect(lockSupport({}, GUARD, present)).toEqual({ ok: false, reason: 'no X display: DISPLAY is unset' });
    const missing = lockSupport({ DISPLAY: ':0' }, GUARD, () => false);
    expect(!missing.ok && missing.reason).toMatch(/gatehouse-guard is missing.*refusing to lock without it/);
  });

  it('finds the guard in resources/libexec when packaged, /usr/libexec/gatehouse from the deb, dist/libexec in a checkout', () => {
    expect(guardCandidates('/usr/lib/gatehouse/resources/app.asar', '/usr/lib/gatehouse/resources', true)).toEqual([
      '/usr/lib/gatehouse/resources/libexec/gatehouse-guard',
      '/usr/libexec/gatehouse/gatehouse-guard',
    ]);
    expect(guardPath('/opt/Gatehouse/resources/app.asar', '/opt/Gatehouse/resources', true, (p) => p === GUARD)).toBe(GUARD);
    // The deb leaves resources/libexec out: the system's copy is found.
    expect(guardPath('/usr/lib/gatehouse/resources/app.asar', '/usr/lib/gatehouse/resources', true, (p) => p.startsWith('/usr/libexec/'))).toBe('/usr/libexec/gatehouse/gatehouse-guard');
    // Nowhere: the first place, for the message that says it is missing.
    expect(guardPath('/opt/Gatehouse/resources/app.asar', '/opt/Gatehouse/resources', true, () => false)).toBe(GUARD);
    expect(guardPath('/src/gatehouse', '/usr/lib/electron/resources', false)).toBe('/src/gatehouse/dist/libexec/gatehouse-guard');
  });

  it('passes the sleep lock on under its own descriptor number', () => {
    expect(stdioPassingOn(['ignore', 'pipe', 'inherit'], undefined)).toEqual(['ignore', 'pipe', 'inherit']);
    expect(stdioPassingOn(['ignore', 'pipe', 'inherit'], 5)).toEqual(['ignore', 'pipe', 'inherit', 'ignore', 'ignore', 5]);
  });
});

describe('the UI child’s command line', () => {
  it('is the same runtime — binary, switches, app path — with unlock mode’s arguments', () => {
    const unpackaged = ['/usr/lib/electron/electron', '--no-sandbox', '/src/gatehouse', 'lock', '--now', '--config', '/etc/g.json'];
    expect(runtimePrefix(unpackaged, true)).toEqual(['/usr/lib/electron/electron', '--no-sandbox', '/src/gatehouse']);
    expect(unlockArgumentsForLock(['lock', '--now', '--config', '/etc/g.json'])).toEqual(['--mode', 'unlock', '--config', '/etc/g.json']);
    expect(childCommand(unpackaged, true, unlockArgumentsForLock(['lock', '--now', '--config', '/etc/g.json']))).toEqual([
      '/usr/lib/electron/electron',
      '--no-sandbox',
      '/src/gatehouse',
      '--mode',
      'unlock',
      '--config',
      '/etc/g.json',
    ]);
    const packaged = ['/opt/Gatehouse/gatehouse', '--mode', 'unlock', '--service', 'gatehouse-unlock'];
    expect(childCommand(packaged, false, ['--mode', 'unlock', '--service', 'gatehouse-unlock'])).toEqual(packaged);
    expect(unlockArgumentsForLock(['lock', '--once', '--confdir', '/x'])).toEqual(['--mode', 'unlock', '--confdir', '/x']);
  });
});

describe('the fault policy', () => {
  it('never unlocks: the guarded UI exits for the guard to restart it, an unguarded shell gives up, a prompt denies, a guard’s parent goes on', () => {
    expect(faultResponse('guarded-ui')).toEqual({ action: 'exit', exitCode: EXIT.fault });
    expect(faultResponse('unguarded-shell')).toEqual({ action: 'give-up' });
    expect(faultResponse('prompt')).toEqual({ action: 'exit', exitCode: EXIT.denied });
    expect(faultResponse('guard-parent')).toEqual({ action: 'continue' });
    expect(faultResponse('starting')).toEqual({ action: 'exit', exitCode: EXIT.fault });
    expect(EXIT.fault).not.toBe(EXIT.ok);
  });

  it('logs a fault’s kind and message only', () => {
    expect(describeFault('uncaughtException', new TypeError('x is undefined'))).toEqual({ event: 'process-fault', kind: 'uncaughtException', error: 'TypeError: x is undefined' });
    // A rejection with a bare value (which could be anything, an answer too) is named by its type only.
    expect(describeFault('unhandledRejection', 'Corr3ct-Horse')).toEqual({ event: 'process-fault', kind: 'unhandledRejection', error: 'string' });
  });
});
