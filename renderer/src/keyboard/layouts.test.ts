import { describe, expect, it } from 'vitest';
import { keyboardLayout, layoutName, offeredLayouts, typed } from './layouts';
import { promptKind } from '../state/prompt-kind';

const letters = (id: string) =>
  keyboardLayout(id)
    .layers.letters.slice(1, 4)
    .map((row) => row.filter((k) => k.type === 'char').map((k) => (k.type === 'char' ? k.char : '')).join(''));

describe('on-screen keyboard layouts', () => {
  it('follow the system\'s XKB layouts, in order, US when it names none', () => {
    expect(offeredLayouts([{ layout: 'de' }, { layout: 'us' }]).map((l) => l.short)).toEqual(['DE', 'US']);
    expect(offeredLayouts(undefined).map((l) => l.id)).toEqual(['us']);
    expect(offeredLayouts([{ layout: 'de' }, { layout: 'de' }]).map((l) => l.id)).toEqual(['de']);
    expect(letters('de')).toEqual(['qwertzuiopü', 'asdfghjklöä', 'yxcvbnmß']);
    expect(letters('fr')[0]).toBe('azertyuiop');
    // Unknown layouts keep their name and show US letters.
    expect(keyboardLayout('ru').short).toBe('RU');
    expect(letters('ru')).toEqual(letters('us'));
  });

  it('name layouts in the UI\'s language; Shift never turns one letter into two', () => {
    expect(layoutName('de', 'en')).toBe('German');
    expect(layoutName('de', 'de')).toBe('Deutsch');
    expect(layoutName('xx', 'en')).toBe('XX');
    expect(typed('ß', true)).toBe('ß');
    expect(typed('ä', true)).toBe('Ä');
  });

  it('one-time code prompts are known by their words', () => {
    expect(promptKind({ style: 'echo-off', text: "One-time password (OATH) for `alice': " })).toBe('code');
    expect(promptKind({ style: 'echo-on', text: 'Verification code: ' })).toBe('code');
    expect(promptKind({ style: 'echo-off', text: 'Password: ' })).toBe('secret');
    expect(promptKind({ style: 'echo-off', text: 'New PIN: ' })).toBe('secret');
    expect(promptKind({ style: 'echo-on', text: 'login:' })).toBe('text');
  });
});
