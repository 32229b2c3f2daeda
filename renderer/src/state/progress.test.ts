import { describe, expect, it } from 'vitest';
import { ev, play } from '../testing/events';
import { initialScreenState } from './screen-state';
import { progressKey } from './progress';

describe('progressKey', () => {
  it('says what the UI waits for', () => {
    expect(progressKey(initialScreenState)).toBe('connection.connecting');
    expect(progressKey(play([ev.context(), { type: 'ui/begin' }]))).toBe('prompt.starting');
    expect(progressKey(play([ev.context(), { type: 'ui/begin' }, ev.info('Place your finger on the reader')]))).toBe('prompt.waiting');
    const answered = play([ev.context(), { type: 'ui/begin' }, ev.prompt('b', 0, 1, 'Password: '), { type: 'ui/answered', batch: 'b' }]);
    expect(progressKey(answered)).toBe('prompt.checking');
    expect(progressKey({ ...answered, connection: 'lost' })).toBe('connection.lost');
  });

  it('is quiet while a prompt waits for the user', () => {
    expect(progressKey(play([ev.context(), { type: 'ui/begin' }, ev.prompt('b', 0, 1, 'Password: ')]))).toBeUndefined();
  });
});
