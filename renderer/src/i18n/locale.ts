// From a locale as configured (POSIX `de_DE.UTF-8`, BCP 47 `de-DE`, `C`) to the
// catalog to use and the tag for Intl (dates, plural rules).
import type { Catalog } from './catalogs/en';
import { en } from './catalogs/en';
import { de } from './catalogs/de';
import { fr } from './catalogs/fr';

export const CATALOGS: Record<string, Catalog> = { en, de, fr };

export interface ResolvedLocale {
  /** Key of CATALOGS. */
  language: string;
  /** BCP 47 tag for Intl and for <html lang>. */
  tag: string;
}

/** 'de_DE.UTF-8@euro' → 'de-DE'; 'C', 'POSIX' and '' → 'en'. */
export function toLanguageTag(locale: string): string {
  const base = locale.split(/[.@]/)[0]?.trim() ?? '';
  if (base === '' || base === 'C' || base === 'POSIX') return 'en';
  const tag = base.replace(/_/g, '-');
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

export function resolveLocale(locale: string): ResolvedLocale {
  const tag = toLanguageTag(locale);
  const language = tag.split('-')[0]!.toLowerCase();
  return Object.hasOwn(CATALOGS, language) ? { language, tag } : { language: 'en', tag: 'en' };
}
