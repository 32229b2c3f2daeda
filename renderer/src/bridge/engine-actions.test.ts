import { describe, expect, it } from 'vitest';
import { fakeBridge } from '../testing/fake-bridge';
import { ev, play } from '../testing/events';
import type { UiAction } from '../state/actions';
import { engineActions } from './engine-actions';

describe('engineActions', () => {
  it('sends answers in prompt order and tells the reducer only which batch was answered', () => {
    const fake = fakeBridge();
    const dispatched: UiAction[] = [];
    const actions = engineActions(fake.bridge, (a) => dispatched.push(a));
    actions.answer('b7', [
      ['b7.0', 'Fresh-Meadow-Lantern-42'],
      ['b7.1', 'Fresh-Meadow-Lantern-42'],
    ]);
    expect(fake.sent).toEqual([
      { v: 1, type: 'answer', id: 'b7.0', value: 'Fresh-Meadow-Lantern-42' },
      { v: 1, type: 'answer', id: 'b7.1', value: 'Fresh-Meadow-Lantern-42' },
    ]);
    expect(dispatched).toEqual([{ type: 'ui/answered', batch: 'b7' }]);
  });

  it('never lets an answer into the screen state', () => {
    const fake = fakeBridge();
    const dispatched: UiAction[] = [];
    const actions = engineActions(fake.bridge, (a) => dispatched.push(a));
    actions.begin();
    const state = play([ev.context(), ...dispatched.splice(0), ev.prompt('b1', 0, 1, 'Password: ')]);
    actions.answer('b1', [['b1.0', 'Corr3ct-Horse-Battery']]);
    const after = play(dispatched, state);
    expect(JSON.stringify(after)).not.toContain('Corr3ct-Horse-Battery');
    expect(after.answeredPrompts.map((p) => p.text)).toEqual(['Password: ']);
  });

  it('begins with the chosen user and session only when there are some', () => {
    const fake = fakeBridge();
    const actions = engineActions(fake.bridge, () => {});
    actions.begin();
    actions.begin('bob', 'xterm');
    actions.cancel();
    actions.power('reboot');
    expect(fake.sent).toEqual([
      { v: 1, type: 'begin' },
      { v: 1, type: 'begin', user: 'bob', session: 'xterm' },
      { v: 1, type: 'cancel' },
      { v: 1, type: 'power', action: 'reboot' },
    ]);
  });
});
