// The guard's child contract (guard/README.md), the child's side: the lines the
// guard sends, parsed into typed messages, and the lines the child sends.
// Lines are ASCII; anything that does not parse is dropped, never guessed at.

export type PressOrRelease = 'press' | 'release';

export type GuardMessage =
  /** Answer with pong(sequence), or the guard takes the UI for hung and restarts it. */
  | { type: 'ping'; sequence: number }
  /** A key of the grabbed keyboard: the X keysym's name, the modifier state, the text it types (may be ''). */
  | { type: 'key'; action: PressOrRelease; keysym: string; state: number; text: string }
  /** A pointer button, at (x, y) in the coordinates of the hosted window. */
  | { type: 'button'; action: PressOrRelease; button: number; x: number; y: number; state: number }
  | { type: 'motion'; x: number; y: number; state: number }
  /** The window is shown: reparented into the guard's cover, full size, on top. */
  | { type: 'hosted'; window: bigint }
  /** The window was not shown (not this process's, gone, or the guard gave up on the UI). */
  | { type: 'refused'; window: bigint };

/** Longer lines are not the guard's. */
export const MAX_LINE = 1024;

const INTEGER = /^-?\d{1,9}$/;
const UNSIGNED = /^\d{1,10}$/;
const WINDOW = /^0x[0-9a-f]{1,8}$/;
const KEYSYM_NAME = /^[A-Za-z0-9_]{1,64}$/;
const HEX = /^(?:[0-9a-f]{2}){1,64}$/;

function integer(text: string | undefined, pattern = INTEGER): number | undefined {
  return text !== undefined && pattern.test(text) ? Number(text) : undefined;
}

function action(text: string | undefined): PressOrRelease | undefined {
  return text === 'press' || text === 'release' ? text : undefined;
}

/** One line from the guard, without its newline; undefined when it is not a message. */
export function parseGuardLine(line: string): GuardMessage | undefined {
  if (line.length > MAX_LINE) return undefined;
  const words = line.split(' ');
  const [kind] = words;
  switch (kind) {
    case 'ping': {
      const sequence = integer(words[1], UNSIGNED);
      return words.length === 2 && sequence !== undefined ? { type: 'ping', sequence } : undefined;
    }
    case 'key': {
      const [, act, keysym, stateText, hex] = words;
      const state = integer(stateText, UNSIGNED);
      const pressOrRelease = action(act);
      if (words.length !== 5 || pressOrRelease === undefined || state === undefined || keysym === undefined || hex === undefined) {
        return undefined;
      }
      if (!KEYSYM_NAME.test(keysym) || (hex !== '-' && !HEX.test(hex))) return undefined;
      const text = hex === '-' ? '' : Buffer.from(hex, 'hex').toString('utf8');
      return { type: 'key', action: pressOrRelease, keysym, state, text };
    }
    case 'button': {
      const [, act, buttonText, xText, yText, stateText] = words;
      const pressOrRelease = action(act);
      const button = integer(buttonText, UNSIGNED);
      const x = integer(xText);
      const y = integer(yText);
      const state = integer(stateText, UNSIGNED);
      if (words.length !== 6 || pressOrRelease === undefined || button === undefined || x === undefined || y === undefined || state === undefined) {
        return undefined;
      }
      return { type: 'button', action: pressOrRelease, button, x, y, state };
    }
    case 'motion': {
      const x = integer(words[1]);
      const y = integer(words[2]);
      const state = integer(words[3], UNSIGNED);
      if (words.length !== 4 || x === undefined || y === undefined || state === undefined) return undefined;
      return { type: 'motion', x, y, state };
    }
    case 'hosted':
    case 'refused': {
      const window = words[1];
      if (words.length !== 2 || window === undefined || !WINDOW.test(window)) return undefined;
      return { type: kind, window: BigInt(window) };
    }
    default:
      return undefined;
  }
}

/** The lines the child sends, newline included. */
export const childLine = {
  /** Show this window (an X window id of this very process) above the cover. */
  window: (window: bigint): string => `window 0x${window.toString(16)}\n`,
  pong: (sequence: number): string => `pong ${sequence}\n`,
  /** The user authenticated: the guard releases the screen and ends. */
  unlocked: 'unlocked\n',
} as const;

/**
 * The X window id inside BrowserWindow.getNativeWindowHandle()'s buffer (an
 * unsigned long in the machine's byte order), or undefined if it holds none.
 */
export function windowIdOf(handle: Uint8Array): bigint | undefined {
  const view = new DataView(handle.buffer, handle.byteOffset, handle.byteLength);
  let id: bigint;
  if (handle.byteLength === 8) id = view.getBigUint64(0, true);
  else if (handle.byteLength === 4) id = BigInt(view.getUint32(0, true));
  else return undefined;
  // X resource ids have 29 bits.
  return id > 0n && id <= 0x1fffffffn ? id : undefined;
}
