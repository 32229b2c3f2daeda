import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, RestartPolicy } from '../restart-policy';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RestartPolicy', () => {
  it('allows maxRestarts within the window, then gives up for good', () => {
    const time = clock();
    const policy = new RestartPolicy({ maxRestarts: 3, windowMs: 60_000 }, time.now);
    expect([policy.onFailure(), policy.onFailure(), policy.onFailure()]).toEqual(['restart', 'restart', 'restart']);
    expect(policy.onFailure()).toBe('give-up');
    expect(policy.gaveUp).toBe(true);
    time.advance(24 * 3600_000);
    expect(policy.onFailure()).toBe('give-up');
  });

  it('forgets restarts older than the window', () => {
    const time = clock();
    const policy = new RestartPolicy({ maxRestarts: 2, windowMs: 10_000 }, time.now);
    expect(policy.onFailure()).toBe('restart');
    time.advance(6_000);
    expect(policy.onFailure()).toBe('restart');
    time.advance(5_000); // the first restart is now 11 s old
    expect(policy.onFailure()).toBe('restart');
    expect(policy.onFailure()).toBe('give-up');
  });

  it('with maxRestarts 0 gives up at the first failure', () => {
    expect(new RestartPolicy({ maxRestarts: 0, windowMs: 1 }).onFailure()).toBe('give-up');
  });

  it('rejects nonsense limits', () => {
    expect(() => new RestartPolicy({ maxRestarts: -1, windowMs: 1 })).toThrow(RangeError);
    expect(() => new RestartPolicy({ maxRestarts: 1.5, windowMs: 1 })).toThrow(RangeError);
    expect(() => new RestartPolicy({ maxRestarts: 1, windowMs: 0 })).toThrow(RangeError);
  });

  it('defaults to a few restarts a minute', () => {
    expect(DEFAULT_RESTART_POLICY).toEqual({ maxRestarts: 3, windowMs: 60_000 });
  });
});
