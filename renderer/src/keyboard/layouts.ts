// The on-screen keyboard's keys. The letter layer follows the system's XKB
// layout (context.keyboardLayouts: us, de, fr, ...), with that language's own
// letters where its keyboard has them; digits stay on top and a symbol layer
// has every ASCII character, so any password can be typed. Special keys are
// named, not typed.
export type SpecialKey = 'shift' | 'backspace' | 'enter' | 'space' | 'layer';

export type Key = { type: 'char'; char: string } | { type: 'special'; key: SpecialKey };

const chars = (row: string): Key[] => [...row].map((char) => ({ type: 'char', char }));
const special = (key: SpecialKey): Key => ({ type: 'special', key });

export type Layer = 'letters' | 'symbols';

/** The three letter rows of each layout the keyboard knows (XKB layout names). */
const LETTER_ROWS: Readonly<Record<string, readonly [string, string, string]>> = {
  us: ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'],
  gb: ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'],
  de: ['qwertzuiopü', 'asdfghjklöä', 'yxcvbnmß'],
  at: ['qwertzuiopü', 'asdfghjklöä', 'yxcvbnmß'],
  ch: ['qwertzuiopü', 'asdfghjklöä', 'yxcvbnm'],
  fr: ['azertyuiop', 'qsdfghjklm', 'wxcvbnéèàç'],
  be: ['azertyuiop', 'qsdfghjklm', 'wxcvbnéèàç'],
  es: ['qwertyuiop', 'asdfghjklñ', 'zxcvbnmç'],
  it: ['qwertyuiopè', 'asdfghjklòàù', 'zxcvbnmé'],
  pt: ['qwertyuiop', 'asdfghjklç', 'zxcvbnm'],
  se: ['qwertyuiopå', 'asdfghjklöä', 'zxcvbnm'],
  fi: ['qwertyuiopå', 'asdfghjklöä', 'zxcvbnm'],
  no: ['qwertyuiopå', 'asdfghjkløæ', 'zxcvbnm'],
  dk: ['qwertyuiopå', 'asdfghjklæø', 'zxcvbnm'],
  nl: ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'],
  pl: ['qwertyuiop', 'asdfghjklłą', 'zxcvbnmęóśżźćń'],
};

/** The language a layout is named after, for its name in the UI's language (Intl.DisplayNames). */
const LAYOUT_LANGUAGE: Readonly<Record<string, string>> = {
  us: 'en-US',
  gb: 'en-GB',
  de: 'de',
  at: 'de-AT',
  ch: 'de-CH',
  fr: 'fr',
  be: 'fr-BE',
  es: 'es',
  it: 'it',
  pt: 'pt',
  se: 'sv',
  fi: 'fi',
  no: 'nb',
  dk: 'da',
  nl: 'nl',
  pl: 'pl',
};

export interface KeyboardLayout {
  /** The XKB layout name ('de'). */
  id: string;
  /** What the indicator shows ('DE'). */
  short: string;
  layers: Record<Layer, Key[][]>;
}

const bottomRow = (): Key[] => [special('layer'), chars(',')[0]!, special('space'), chars('.')[0]!, special('enter')];

const SYMBOLS: Key[][] = [
  chars('1234567890'),
  chars('!@#$%^&*()'),
  chars('-_=+[]{}\\|'),
  [...chars(';:\'"<>/?`~'), special('backspace')],
  bottomRow(),
];

/** A layout the keyboard knows; an unknown one is shown with US letters (and its own name). */
export function keyboardLayout(id: string): KeyboardLayout {
  const [top, middle, bottom] = LETTER_ROWS[id] ?? LETTER_ROWS.us!;
  return {
    id,
    short: id.toUpperCase(),
    layers: {
      letters: [chars('1234567890'), chars(top), chars(middle), [special('shift'), ...chars(bottom), special('backspace')], bottomRow()],
      symbols: SYMBOLS,
    },
  };
}

/** The layouts to offer: the system's, in its order, without repeats; US when it names none. */
export function offeredLayouts(system: ReadonlyArray<{ layout: string }> | undefined): KeyboardLayout[] {
  const ids = [...new Set((system ?? []).map((l) => l.layout))];
  return (ids.length > 0 ? ids : ['us']).map(keyboardLayout);
}

/** A layout's name in the UI's language ("German", "Deutsch"), or its XKB name. */
export function layoutName(id: string, uiTag: string): string {
  const language = LAYOUT_LANGUAGE[id];
  if (language === undefined) return id.toUpperCase();
  try {
    const name = new Intl.DisplayNames([uiTag], { type: 'language' }).of(language);
    return name === undefined ? id.toUpperCase() : name.charAt(0).toLocaleUpperCase(uiTag) + name.slice(1);
  } catch {
    return id.toUpperCase();
  }
}

/** What a character key types with Shift on or off (ß has no one-letter capital: it stays). */
export function typed(char: string, shift: boolean): string {
  if (!shift) return char;
  const upper = char.toLocaleUpperCase();
  return [...upper].length === 1 ? upper : char;
}

