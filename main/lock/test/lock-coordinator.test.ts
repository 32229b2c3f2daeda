// When the locker locks and when it holds logind's sleep delay inhibitor.
import { describe, expect, it } from 'vitest';
import { LockCoordinator } from '../lock-coordinator';

describe('LockCoordinator', () => {
  it('holds the inhibitor from the start, while the screen is not locked', () => {
    const c = new LockCoordinator();
    expect(c.started()).toEqual([{ type: 'take-inhibitor' }]);
    expect(c.inhibitorHeld).toBe(true);
  });

  it('before sleep: locks, keeps the inhibitor until every window has painted, then releases it', () => {
    const c = new LockCoordinator();
    c.started();
    expect(c.prepareForSleep(true)).toEqual([{ type: 'show-lock' }]);
    expect(c.inhibitorHeld).toBe(true);
    expect(c.lockPainted()).toEqual([{ type: 'set-locked-hint', locked: true }, { type: 'release-inhibitor' }]);
    expect(c.inhibitorHeld).toBe(false);
  });

  it('after the resume, with the lock screen still up, takes no inhibitor; after the unlock it does', () => {
    const c = new LockCoordinator();
    c.started();
    c.prepareForSleep(true);
    c.lockPainted();
    expect(c.prepareForSleep(false)).toEqual([]);
    expect(c.unlocked()).toEqual([{ type: 'set-locked-hint', locked: false }, { type: 'take-inhibitor' }]);
  });

  it('an unlock during the sleep preparation takes no new inhibitor until the resume', () => {
    const c = new LockCoordinator();
    c.started();
    c.prepareForSleep(true);
    c.lockPainted();
    expect(c.unlocked()).toEqual([{ type: 'set-locked-hint', locked: false }]);
    expect(c.prepareForSleep(false)).toEqual([{ type: 'take-inhibitor' }]);
  });

  it('logind Lock: shows the lock once; repeated requests change nothing', () => {
    const c = new LockCoordinator();
    c.started();
    expect(c.lockRequested('logind')).toEqual([{ type: 'show-lock' }]);
    expect(c.lockRequested('command')).toEqual([]);
    expect(c.prepareForSleep(true)).toEqual([]);
    expect(c.lockPainted()).toEqual([{ type: 'set-locked-hint', locked: true }, { type: 'release-inhibitor' }]);
    expect(c.lockPainted()).toEqual([]);
  });

  it('an already painted lock screen lets the system sleep at once', () => {
    const c = new LockCoordinator();
    c.started();
    c.lockRequested('logind');
    c.lockPainted();
    expect(c.prepareForSleep(true)).toEqual([]);
    expect(c.inhibitorHeld).toBe(false);
  });

  it('a lost inhibitor is taken again when it is wanted, and not while the lock is up', () => {
    const c = new LockCoordinator();
    c.started();
    expect(c.inhibitorLost()).toEqual([{ type: 'take-inhibitor' }]);
    c.lockRequested('logind');
    c.lockPainted();
    expect(c.inhibitorLost()).toEqual([]);
  });

  it('ignores paint and unlock reports without a lock', () => {
    const c = new LockCoordinator();
    expect(c.lockPainted()).toEqual([]);
    expect(c.unlocked()).toEqual([]);
  });
});
