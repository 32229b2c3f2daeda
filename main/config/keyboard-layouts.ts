// The system's keyboard layouts (XKB), which the on-screen keyboard follows: from
// the X server when there is one (setxkbmap -query), else Debian's
// /etc/default/keyboard (console-setup's file, which the X server's and most
// compositors' defaults come from). The first layout is the active one.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { KeyboardLayout } from '../auth/api';

export const DEFAULT_KEYBOARD_FILE = '/etc/default/keyboard';

const LAYOUT_NAME = /^[a-z]{2,3}$/;
const VARIANT_NAME = /^[A-Za-z0-9_-]{1,32}$/;
const MAX_LAYOUTS = 8;

/** Pairs comma-separated XKB layouts with their variants ("de,us" + "nodeadkeys,"). */
export function zipLayouts(layouts: string, variants = ''): KeyboardLayout[] {
  const variantList = variants.split(',').map((v) => v.trim());
  return layouts
    .split(',')
    .map((layout, index) => ({ layout: layout.trim(), variant: variantList[index] ?? '' }))
    .filter(({ layout }) => LAYOUT_NAME.test(layout))
    .slice(0, MAX_LAYOUTS)
    .map(({ layout, variant }) => (VARIANT_NAME.test(variant) ? { layout, variant } : { layout }));
}

/** XKBLAYOUT / XKBVARIANT of an /etc/default/keyboard file (shell assignments). */
export function parseDefaultKeyboard(text: string): KeyboardLayout[] {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*(XKBLAYOUT|XKBVARIANT)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S*))\s*(#.*)?$/.exec(line);
    if (match !== null) values[match[1]!] = match[2] ?? match[3] ?? match[4] ?? '';
  }
  return zipLayouts(values.XKBLAYOUT ?? '', values.XKBVARIANT ?? '');
}

/** The layout and variant lines of `setxkbmap -query`. */
export function parseSetxkbmapQuery(text: string): KeyboardLayout[] {
  const field = (name: string) => new RegExp(`^${name}:\\s*(\\S*)\\s*$`, 'm').exec(text)?.[1] ?? '';
  return zipLayouts(field('layout'), field('variant'));
}

/** Parses a configured layout ("de" or "de(nodeadkeys)"). */
export function configuredLayout(name: string): KeyboardLayout {
  const match = /^([a-z]{2,3})(?:\(([^)]+)\))?$/.exec(name);
  if (match === null) return { layout: 'us' };
  return match[2] === undefined ? { layout: match[1]! } : { layout: match[1]!, variant: match[2] };
}

export interface KeyboardSources {
  /** The environment (DISPLAY says where an X server runs). */
  env: NodeJS.ProcessEnv;
  /** `setxkbmap -query` against $DISPLAY; undefined when it cannot run. */
  querySetxkbmap(env: NodeJS.ProcessEnv): string | undefined;
  /** The text of /etc/default/keyboard; undefined when it is missing. */
  readKeyboardFile(): string | undefined;
}

export const systemKeyboardSources: KeyboardSources = {
  env: process.env,
  querySetxkbmap: (env) => {
    try {
      return execFileSync('setxkbmap', ['-query'], { env, encoding: 'utf8', timeout: 3_000, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return undefined;
    }
  },
  readKeyboardFile: () => {
    try {
      return readFileSync(DEFAULT_KEYBOARD_FILE, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** The system's layouts, the active one first; empty when nothing says (the keyboard then shows US). */
export function systemKeyboardLayouts(sources: KeyboardSources = systemKeyboardSources): KeyboardLayout[] {
  if ((sources.env.DISPLAY ?? '') !== '') {
    const query = sources.querySetxkbmap(sources.env);
    const fromX = query === undefined ? [] : parseSetxkbmapQuery(query);
    if (fromX.length > 0) return fromX;
  }
  const file = sources.readKeyboardFile();
  return file === undefined ? [] : parseDefaultKeyboard(file);
}
