// The child's side of the guard's contract: what the guard says, parsed strictly;
// what the child says, formatted exactly as guard/src/ui_child.c parses it.
import { describe, expect, it } from 'vitest';
import { childLine, parseGuardLine, windowIdOf } from '../guard/channel-messages';

describe('parseGuardLine', () => {
  it('reads every message the guard sends', () => {
    expect(parseGuardLine('ping 7')).toEqual({ type: 'ping', sequence: 7 });
    expect(parseGuardLine('key press a 1 41')).toEqual({ type: 'key', action: 'press', keysym: 'a', state: 1, text: 'A' });
    expect(parseGuardLine('key press Cyrillic_zhe 0 d0b6')).toEqual({ type: 'key', action: 'press', keysym: 'Cyrillic_zhe', state: 0, text: 'ж' });
    expect(parseGuardLine('key release BackSpace 4 -')).toEqual({ type: 'key', action: 'release', keysym: 'BackSpace', state: 4, text: '' });
    expect(parseGuardLine('button press 1 -3 640 256')).toEqual({ type: 'button', action: 'press', button: 1, x: -3, y: 640, state: 256 });
    expect(parseGuardLine('motion 10 20 0')).toEqual({ type: 'motion', x: 10, y: 20, state: 0 });
    expect(parseGuardLine('hosted 0x400001')).toEqual({ type: 'hosted', window: 0x400001n });
    expect(parseGuardLine('refused 0x1234567')).toEqual({ type: 'refused', window: 0x1234567n });
  });

  it('drops anything else, without guessing', () => {
    for (const line of [
      '',
      'ping',
      'ping -1',
      'ping 1 2',
      'ping 99999999999',
      'key press a 1',
      'key hold a 1 41',
      'key press a;rm 1 41',
      'key press a 1 4',
      'key press a 1 zz',
      'button press 1 2 3',
      'motion 1 2',
      'hosted 400001',
      'hosted 0x1234567890',
      'unlocked',
      'PING 1',
      `ping ${'1'.repeat(2000)}`,
    ]) {
      expect(parseGuardLine(line), line).toBeUndefined();
    }
  });
});

describe('childLine', () => {
  it('formats the three things a UI may say', () => {
    expect(childLine.window(0x400001n)).toBe('window 0x400001\n');
    expect(childLine.pong(12)).toBe('pong 12\n');
    expect(childLine.unlocked).toBe('unlocked\n');
  });
});

describe('windowIdOf', () => {
  it('reads the X window id from getNativeWindowHandle()’s buffer (an unsigned long)', () => {
    const eight = Buffer.alloc(8);
    eight.writeBigUInt64LE(0x2a00003n);
    expect(windowIdOf(eight)).toBe(0x2a00003n);
    const four = Buffer.alloc(4);
    four.writeUInt32LE(0x2a00003);
    expect(windowIdOf(four)).toBe(0x2a00003n);
  });

  it('refuses what cannot be an X resource id', () => {
    expect(windowIdOf(Buffer.alloc(8))).toBeUndefined();
    const big = Buffer.alloc(8);
    big.writeBigUInt64LE(0x20000000n);
    expect(windowIdOf(big)).toBeUndefined();
    expect(windowIdOf(Buffer.alloc(2))).toBeUndefined();
  });
});
