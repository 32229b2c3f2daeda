// Locales as libc takes them. The configuration and the UI name a language in
// several ways (de, de-DE, de_DE.UTF-8, C); libpam's thread (newlocale) and a
// session's LANG need the POSIX form, always in UTF-8: the conversation and the
// UI are UTF-8, whatever codeset a name asked for.
import { LOCALE_PATTERN } from '../protocol';

// The territory a bare language stands for, where it is not the language's own
// code in capitals (de → de_DE, but en → en_US, sv → sv_SE).
const DEFAULT_TERRITORY: Readonly<Record<string, string>> = {
  en: 'US',
  cs: 'CZ',
  da: 'DK',
  el: 'GR',
  et: 'EE',
  he: 'IL',
  ja: 'JP',
  ko: 'KR',
  nb: 'NO',
  nn: 'NO',
  sl: 'SI',
  sq: 'AL',
  sr: 'RS',
  sv: 'SE',
  uk: 'UA',
  vi: 'VN',
  zh: 'CN',
};

const PARTS = /^([A-Za-z]{2,3})((?:[-_][A-Za-z0-9]{2,8})*)(?:\.[A-Za-z0-9-]+)?(?:@([A-Za-z0-9]+))?$/;

/**
 * The POSIX locale for a configured or chosen name: 'de' → 'de_DE.UTF-8',
 * 'pt-BR' → 'pt_BR.UTF-8', 'sr_RS@latin' → 'sr_RS.UTF-8@latin'. C, POSIX and
 * names that are no locale give undefined (libc's own C locale is English).
 */
export function posixLocale(name: string): string | undefined {
  if (!LOCALE_PATTERN.test(name)) return undefined;
  const parts = PARTS.exec(name);
  if (parts === null) return undefined;
  const language = parts[1]!.toLowerCase();
  // The region among the subtags (2 letters or 3 digits); a script (zh-Hant) is not one.
  const given = (parts[2] ?? '')
    .split(/[-_]/)
    .find((subtag) => /^([A-Za-z]{2}|\d{3})$/.test(subtag));
  const territory = given?.toUpperCase() ?? DEFAULT_TERRITORY[language] ?? language.toUpperCase();
  const modifier = parts[3] === undefined ? '' : `@${parts[3]}`;
  return `${language}_${territory}.UTF-8${modifier}`;
}

/**
 * The locale of the environment, as setlocale(LC_MESSAGES, "") would pick it:
 * LC_ALL, then LC_MESSAGES, then LANG; 'C' when none is set.
 */
export function environmentLocale(env: NodeJS.ProcessEnv = process.env): string {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return 'C';
}
