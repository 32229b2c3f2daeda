// Looks up catalog strings and fills their `{placeholders}`. Only the UI's own
// words go through here; what PAM modules and the engine say is shown as sent.
import type { Catalog, MessageKey } from './catalogs/en';
import { en } from './catalogs/en';
import { CATALOGS, resolveLocale } from './locale';

export type Params = Record<string, string | number>;

/** Keys that exist as `<base>.one` / `<base>.other` plural pairs. */
export type PluralBase = MessageKey extends infer K ? (K extends `${infer B}.other` ? B : never) : never;

export interface Translator {
  /** BCP 47 tag of the language in use. */
  readonly tag: string;
  t(key: MessageKey, params?: Params): string;
  /** The plural form of `base` for `count` (which is also available as `{count}`). */
  plural(base: PluralBase, count: number, params?: Params): string;
  /** A catalog entry by a key built at run time (e.g. from an outcome code), if there is one. */
  lookup(key: string, params?: Params): string | undefined;
}

function fill(text: string, params: Params | undefined): string {
  if (params === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function createTranslator(locale: string): Translator {
  const { language, tag } = resolveLocale(locale);
  const catalog: Catalog = CATALOGS[language] ?? en;
  const rules = new Intl.PluralRules(tag);
  const entry = (key: string): string | undefined =>
    Object.hasOwn(catalog, key) ? catalog[key] : Object.hasOwn(en, key) ? (en as Catalog)[key] : undefined;

  return {
    tag,
    t: (key, params) => fill(entry(key) ?? key, params),
    plural: (base, count, params) => {
      const text = entry(`${base}.${rules.select(count)}`) ?? entry(`${base}.other`) ?? base;
      return fill(text, { count, ...params });
    },
    lookup: (key, params) => {
      const text = entry(key);
      return text === undefined ? undefined : fill(text, params);
    },
  };
}
