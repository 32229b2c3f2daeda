// The on-screen keyboard's keys: a US QWERTY letter layer and a symbol layer,
// enough for any ASCII password. Special keys are named, not typed.
export type SpecialKey = 'shift' | 'backspace' | 'enter' | 'space' | 'layer';

export type Key = { type: 'char'; char: string } | { type: 'special'; key: SpecialKey };

const chars = (row: string): Key[] => [...row].map((char) => ({ type: 'char', char }));
const special = (key: SpecialKey): Key => ({ type: 'special', key });

export type Layer = 'letters' | 'symbols';

export const LAYOUTS: Record<Layer, Key[][]> = {
  letters: [
    chars('1234567890'),
    chars('qwertyuiop'),
    chars('asdfghjkl'),
    [special('shift'), ...chars('zxcvbnm'), special('backspace')],
    [special('layer'), chars(',')[0]!, special('space'), chars('.')[0]!, special('enter')],
  ],
  symbols: [
    chars('1234567890'),
    chars('!@#$%^&*()'),
    chars('-_=+[]{}\\|'),
    [...chars(';:\'"<>/?`~'), special('backspace')],
    [special('layer'), chars(',')[0]!, special('space'), chars('.')[0]!, special('enter')],
  ],
};

/** What a character key types with Shift on or off. */
export function typed(char: string, shift: boolean): string {
  return shift ? char.toLocaleUpperCase('en') : char;
}
