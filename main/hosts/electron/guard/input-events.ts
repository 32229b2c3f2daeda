// Input forwarded by the guard (which holds the grabs for the whole lock) turned
// into the events Electron's webContents.sendInputEvent takes. Pure, so the
// mapping is unit-tested without Electron.
import type { KeyboardInputEvent, MouseInputEvent, MouseWheelInputEvent } from 'electron';
import type { GuardMessage } from './channel-messages';

export type ForwardedInput = KeyboardInputEvent | MouseInputEvent | MouseWheelInputEvent;
type Modifier = NonNullable<KeyboardInputEvent['modifiers']>[number];

/** X keysym names of keys that type nothing, as Electron's accelerator key codes. */
const NAMED_KEYS: Readonly<Record<string, string>> = {
  BackSpace: 'Backspace',
  Tab: 'Tab',
  ISO_Left_Tab: 'Tab',
  Return: 'Enter',
  KP_Enter: 'Enter',
  Escape: 'Escape',
  Delete: 'Delete',
  KP_Delete: 'Delete',
  Insert: 'Insert',
  Left: 'Left',
  KP_Left: 'Left',
  Right: 'Right',
  KP_Right: 'Right',
  Up: 'Up',
  KP_Up: 'Up',
  Down: 'Down',
  KP_Down: 'Down',
  Home: 'Home',
  KP_Home: 'Home',
  End: 'End',
  KP_End: 'End',
  Page_Up: 'PageUp',
  Prior: 'PageUp',
  Page_Down: 'PageDown',
  Next: 'PageDown',
  space: 'Space',
  Shift_L: 'Shift',
  Shift_R: 'Shift',
  Control_L: 'Control',
  Control_R: 'Control',
  Alt_L: 'Alt',
  Alt_R: 'Alt',
  Super_L: 'Super',
  Super_R: 'Super',
  Caps_Lock: 'Capslock',
  Num_Lock: 'Numlock',
};

/** X modifier and button masks (X.h) and what Electron calls them. */
const MODIFIER_MASKS: readonly [number, Modifier][] = [
  [1 << 0, 'shift'],
  [1 << 1, 'capslock'],
  [1 << 2, 'control'],
  [1 << 3, 'alt'],
  [1 << 4, 'numlock'],
  [1 << 6, 'meta'],
  [1 << 8, 'leftbuttondown'],
  [1 << 9, 'middlebuttondown'],
  [1 << 10, 'rightbuttondown'],
];

export function modifiersOf(state: number): Modifier[] {
  return MODIFIER_MASKS.filter(([mask]) => (state & mask) !== 0).map(([, name]) => name);
}

function keyCodeOf(keysym: string, text: string): string | undefined {
  const named = NAMED_KEYS[keysym];
  if (named !== undefined) return named;
  if (/^F([1-9]|1\d|2[0-4])$/.test(keysym)) return keysym;
  // Printable ASCII is an accelerator key code as it is ('a', 'A', '!').
  if (text.length === 1 && text >= ' ' && text <= '~') return text;
  if (/^[a-z0-9]$/.test(keysym)) return keysym;
  return undefined;
}

const BUTTONS: Readonly<Record<number, MouseInputEvent['button']>> = { 1: 'left', 2: 'middle', 3: 'right' };
/** Buttons 4-7 are the wheel: up, down, left, right. */
const WHEEL: Readonly<Record<number, [number, number]>> = { 4: [0, 1], 5: [0, -1], 6: [1, 0], 7: [-1, 0] };
const WHEEL_PIXELS = 53;

export interface ClickTracker {
  /** The click count of a press of `button` at (x, y) now: 2 for a double click. */
  count(button: number, x: number, y: number, now: number): number;
}

/** Double clicks: the same button again within 500 ms and 4 pixels. */
export function clickTracker(): ClickTracker {
  let last: { button: number; x: number; y: number; at: number; count: number } | undefined;
  return {
    count(button, x, y, now) {
      const again = last !== undefined && last.button === button && now - last.at <= 500 && Math.abs(last.x - x) <= 4 && Math.abs(last.y - y) <= 4;
      const count = again ? last!.count + 1 : 1;
      last = { button, x, y, at: now, count };
      return count;
    },
  };
}

/** The Electron input events for one forwarded message (none for messages that are not input). */
export function inputEventsFor(message: GuardMessage, clicks: ClickTracker, now: number): ForwardedInput[] {
  switch (message.type) {
    case 'key': {
      const modifiers = modifiersOf(message.state);
      const keyCode = keyCodeOf(message.keysym, message.text);
      if (message.action === 'release') return keyCode === undefined ? [] : [{ type: 'keyUp', keyCode, modifiers }];
      const events: ForwardedInput[] = [];
      if (keyCode !== undefined) events.push({ type: 'keyDown', keyCode, modifiers });
      // Text (also what no key code names: é, ж, 日) goes in as a char event.
      if (message.text !== '' && (modifiers.every((m) => m === 'shift' || m === 'capslock' || m === 'numlock'))) {
        events.push({ type: 'char', keyCode: message.text, modifiers });
      }
      return events;
    }
    case 'button': {
      const wheel = WHEEL[message.button];
      if (wheel !== undefined) {
        if (message.action === 'release') return [];
        const [x, y] = wheel;
        const event: MouseWheelInputEvent = {
          type: 'mouseWheel',
          x: message.x,
          y: message.y,
          deltaX: x * WHEEL_PIXELS,
          deltaY: y * WHEEL_PIXELS,
          wheelTicksX: x,
          wheelTicksY: y,
          canScroll: true,
          modifiers: modifiersOf(message.state),
        };
        return [event];
      }
      const button = BUTTONS[message.button];
      if (button === undefined) return [];
      const clickCount = message.action === 'press' ? clicks.count(message.button, message.x, message.y, now) : 1;
      return [
        {
          type: message.action === 'press' ? 'mouseDown' : 'mouseUp',
          button,
          x: message.x,
          y: message.y,
          clickCount,
          modifiers: modifiersOf(message.state),
        },
      ];
    }
    case 'motion':
      return [{ type: 'mouseMove', x: message.x, y: message.y, modifiers: modifiersOf(message.state) }];
    default:
      return [];
  }
}
