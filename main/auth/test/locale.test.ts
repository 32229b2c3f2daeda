// Locale names as libc takes them (libpam's thread, a session's LANG).
import { describe, expect, it } from 'vitest';
import { environmentLocale, posixLocale } from '../locale';

describe('posixLocale', () => {
  it('turns the configuration\'s and the UI\'s names into UTF-8 POSIX locales', () => {
    expect(posixLocale('de')).toBe('de_DE.UTF-8');
    expect(posixLocale('de-AT')).toBe('de_AT.UTF-8');
    expect(posixLocale('de_DE.UTF-8')).toBe('de_DE.UTF-8');
    expect(posixLocale('de_DE.ISO-8859-1')).toBe('de_DE.UTF-8');
    expect(posixLocale('de_DE@euro')).toBe('de_DE.UTF-8@euro');
    expect(posixLocale('pt-BR')).toBe('pt_BR.UTF-8');
    expect(posixLocale('en')).toBe('en_US.UTF-8');
    expect(posixLocale('sv')).toBe('sv_SE.UTF-8');
    expect(posixLocale('zh-Hant-TW')).toBe('zh_TW.UTF-8');
    expect(posixLocale('es-419')).toBe('es_419.UTF-8');
  });

  it('C, POSIX and anything that is no locale name give nothing (libc\'s C locale)', () => {
    for (const name of ['C', 'POSIX', 'C.UTF-8', '', '../../etc/passwd', 'de/DE', 'de_DE.UTF-8\n', 'x']) {
      expect(posixLocale(name), name).toBeUndefined();
    }
  });
});

describe('environmentLocale', () => {
  it('LC_ALL, then LC_MESSAGES, then LANG, as setlocale reads them; C without any', () => {
    expect(environmentLocale({ LC_ALL: 'fr_FR.UTF-8', LANG: 'de_DE.UTF-8' })).toBe('fr_FR.UTF-8');
    expect(environmentLocale({ LC_ALL: '', LC_MESSAGES: 'it_IT.UTF-8', LANG: 'de_DE.UTF-8' })).toBe('it_IT.UTF-8');
    expect(environmentLocale({ LANG: 'de_DE.UTF-8' })).toBe('de_DE.UTF-8');
    expect(environmentLocale({})).toBe('C');
  });
});
