// Input forwarded by the guard, as the events webContents.sendInputEvent takes.
import { describe, expect, it } from 'vitest';
import { parseGuardLine, type GuardMessage } from '../guard/channel-messages';
import { clickTracker, inputEventsFor, modifiersOf } from '../guard/input-events';

const message = (line: string): GuardMessage => {
  const parsed = parseGuardLine(line);
  if (parsed === undefined) throw new Error(`not a message: ${line}`);
  return parsed;
};
const events = (line: string, now = 0, clicks = clickTracker()) => inputEventsFor(message(line), clicks, now);

describe('keys', () => {
  it('a typed character: keyDown with its key code, then a char event with its text; keyUp on release', () => {
    expect(events('key press a 0 61')).toEqual([
      { type: 'keyDown', keyCode: 'a', modifiers: [] },
      { type: 'char', keyCode: 'a', modifiers: [] },
    ]);
    expect(events('key press A 1 41')).toEqual([
      { type: 'keyDown', keyCode: 'A', modifiers: ['shift'] },
      { type: 'char', keyCode: 'A', modifiers: ['shift'] },
    ]);
    expect(events('key release a 0 -')).toEqual([{ type: 'keyUp', keyCode: 'a', modifiers: [] }]);
  });

  it('text no key code names (other scripts, accents) goes in as a char event alone', () => {
    expect(events('key press Cyrillic_zhe 0 d0b6')).toEqual([{ type: 'char', keyCode: 'ж', modifiers: [] }]);
    expect(events('key press eacute 0 c3a9')).toEqual([{ type: 'char', keyCode: 'é', modifiers: [] }]);
    expect(events('key release Cyrillic_zhe 0 -')).toEqual([]);
  });

  it('keys that type nothing by their names', () => {
    const codes = (keysym: string) => events(`key press ${keysym} 0 -`).map((e) => (e as { keyCode: string }).keyCode);
    expect(codes('Return')).toEqual(['Enter']);
    expect(codes('KP_Enter')).toEqual(['Enter']);
    expect(codes('BackSpace')).toEqual(['Backspace']);
    expect(codes('ISO_Left_Tab')).toEqual(['Tab']);
    expect(codes('Escape')).toEqual(['Escape']);
    expect(codes('Page_Down')).toEqual(['PageDown']);
    expect(codes('F12')).toEqual(['F12']);
    expect(codes('Shift_L')).toEqual(['Shift']);
    expect(codes('XF86AudioMute')).toEqual([]);
  });

  it('with Control or Alt held, a key is a shortcut, not text', () => {
    expect(events('key press a 4 61')).toEqual([{ type: 'keyDown', keyCode: 'a', modifiers: ['control'] }]);
    expect(events('key press a 8 61')).toEqual([{ type: 'keyDown', keyCode: 'a', modifiers: ['alt'] }]);
  });

  it('names the X modifier and button masks as Electron does', () => {
    expect(modifiersOf(1 | 2 | 4 | 8 | 16 | 64 | 256 | 512 | 1024)).toEqual([
      'shift',
      'capslock',
      'control',
      'alt',
      'numlock',
      'meta',
      'leftbuttondown',
      'middlebuttondown',
      'rightbuttondown',
    ]);
    expect(modifiersOf(32 | 128)).toEqual([]);
  });
});

describe('the pointer', () => {
  it('buttons 1-3 press and release at the window coordinates; double clicks count', () => {
    const clicks = clickTracker();
    expect(events('button press 1 10 20 0', 1000, clicks)).toEqual([{ type: 'mouseDown', button: 'left', x: 10, y: 20, clickCount: 1, modifiers: [] }]);
    expect(events('button release 1 10 20 256', 1050, clicks)).toEqual([
      { type: 'mouseUp', button: 'left', x: 10, y: 20, clickCount: 1, modifiers: ['leftbuttondown'] },
    ]);
    expect(events('button press 1 12 21 0', 1300, clicks)[0]).toMatchObject({ clickCount: 2 });
    expect(events('button press 1 12 21 0', 2000, clicks)[0]).toMatchObject({ clickCount: 1 });
    expect(events('button press 3 12 21 0', 2100, clicks)[0]).toMatchObject({ button: 'right', clickCount: 1 });
    expect(events('button press 2 0 0 0', 0)[0]).toMatchObject({ button: 'middle' });
  });

  it('buttons 4-7 are the wheel, on press only', () => {
    expect(events('button press 4 5 6 0')).toEqual([
      { type: 'mouseWheel', x: 5, y: 6, deltaX: 0, deltaY: 53, wheelTicksX: 0, wheelTicksY: 1, canScroll: true, modifiers: [] },
    ]);
    expect(events('button press 5 5 6 0')[0]).toMatchObject({ deltaY: -53, wheelTicksY: -1 });
    expect(events('button press 6 5 6 0')[0]).toMatchObject({ deltaX: 53, wheelTicksX: 1 });
    expect(events('button release 4 5 6 0')).toEqual([]);
    expect(events('button press 9 5 6 0')).toEqual([]);
  });

  it('motion moves', () => {
    expect(events('motion 7 8 0')).toEqual([{ type: 'mouseMove', x: 7, y: 8, modifiers: [] }]);
  });

  it('messages that are not input give no events', () => {
    expect(events('hosted 0x400001')).toEqual([]);
  });
});
