import { describe, expect, it } from 'vitest';
import { en } from './catalogs/en';
import { CATALOGS, resolveLocale, toLanguageTag } from './locale';
import { createTranslator } from './translate';

const PLURAL_SUFFIX = /\.(zero|one|two|few|many|other)$/;

describe('catalogs', () => {
  const english = Object.keys(en).sort();
  for (const [language, catalog] of Object.entries(CATALOGS)) {
    it(`${language} has every English key, and extra keys only as plural forms`, () => {
      const keys = Object.keys(catalog);
      expect(english.filter((k) => !keys.includes(k))).toEqual([]);
      const extra = keys.filter((k) => !(k in en));
      expect(extra.filter((k) => !PLURAL_SUFFIX.test(k) || !(`${k.replace(PLURAL_SUFFIX, '')}.other` in en))).toEqual([]);
    });

    it(`${language} keeps every placeholder of the English text`, () => {
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const key of english) {
        expect(placeholders(catalog[key]!), `${language} ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
      }
    });
  }
});

describe('locales', () => {
  it('reads POSIX and BCP 47 locales', () => {
    expect(toLanguageTag('de_DE.UTF-8')).toBe('de-DE');
    expect(toLanguageTag('fr_CA.UTF-8@euro')).toBe('fr-CA');
    expect(toLanguageTag('en-GB')).toBe('en-GB');
    expect(toLanguageTag('C')).toBe('en');
    expect(toLanguageTag('POSIX')).toBe('en');
    expect(toLanguageTag('C.UTF-8')).toBe('en');
    expect(toLanguageTag('')).toBe('en');
    expect(toLanguageTag('not a locale!')).toBe('en');
  });

  it('falls back to English for a language without a catalog', () => {
    expect(resolveLocale('de_AT.UTF-8')).toEqual({ language: 'de', tag: 'de-AT' });
    expect(resolveLocale('ja_JP.UTF-8')).toEqual({ language: 'en', tag: 'en' });
  });
});

describe('translator', () => {
  it('fills placeholders and picks plural forms by the language rules', () => {
    const de = createTranslator('de_DE.UTF-8');
    expect(de.t('login.signingInAs', { user: 'bob' })).toBe('Anmeldung als bob');
    expect(de.plural('delay.failDelay', 1)).toBe('Erneut versuchen in 1 Sekunde');
    expect(de.plural('delay.failDelay', 3)).toBe('Erneut versuchen in 3 Sekunden');
    const fr = createTranslator('fr_FR.UTF-8');
    // French puts 0 and 1 in the singular.
    expect(fr.plural('delay.failDelay', 0)).toBe('Réessayez dans 0 seconde');
  });

  it('does not interpret placeholder values, and looks up run-time keys without inventing text', () => {
    const en = createTranslator('en');
    expect(en.t('login.signingInAs', { user: '{user} <b>' })).toBe('Signing in as {user} <b>');
    expect(en.lookup('outcome.PAM_AUTH_ERR')).toBe('Authentication failed');
    expect(en.lookup('outcome.SOMETHING_NEW')).toBeUndefined();
    expect(en.lookup('outcome.constructor')).toBeUndefined();
  });
});
