// The locales the tests speak besides English. libpam and the modules translate
// with the transaction thread's locale, which must be installed: the system's
// when it has them (locales-all, or locale-gen), else compiled once with
// localedef (from Debian's `locales` package sources) into the fixtures' build
// directory and found through LOCPATH, which every test process and every
// gatehouse they start inherits.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

export const TEST_LOCALES = [{ name: 'de_DE.UTF-8', source: 'de_DE', charmap: 'UTF-8' }] as const;

export const LOCALE_BUILD_DIR = join(REPO_ROOT, 'native', 'fixtures', 'build', 'locales');

function installed(name: string): boolean {
  try {
    return execFileSync('locale', ['-a'], { encoding: 'utf8' })
      .split('\n')
      .some((l) => l.toLowerCase().replace('utf8', 'utf-8') === name.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * Makes every TEST_LOCALE available; returns why one cannot be (then the suites
 * that need it skip and say so), or undefined.
 */
export function prepareTestLocales(): string | undefined {
  const missing = TEST_LOCALES.filter((l) => !installed(l.name));
  if (missing.length === 0) return undefined;
  for (const locale of missing) {
    const target = join(LOCALE_BUILD_DIR, locale.name);
    if (existsSync(join(target, 'LC_MESSAGES'))) continue;
    if (!existsSync(`/usr/share/i18n/locales/${locale.source}`)) {
      return `${locale.name} is not installed and /usr/share/i18n/locales/${locale.source} is missing (install locales or locales-all)`;
    }
    mkdirSync(LOCALE_BUILD_DIR, { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    try {
      execFileSync('localedef', ['-i', locale.source, '-f', locale.charmap, tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      // localedef exits 1 for warnings but still writes the locale.
      if (!existsSync(join(tmp, 'LC_MESSAGES'))) return `localedef could not compile ${locale.name}: ${(error as Error).message}`;
    }
    rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
  }
  process.env.LOCPATH = LOCALE_BUILD_DIR;
  return undefined;
}

/** Why the tests cannot speak `name` (set by the global setup), or undefined when they can. */
export function testLocaleProblem(): string | undefined {
  return process.env.GATEHOUSE_LAB_LOCALES_PROBLEM === undefined || process.env.GATEHOUSE_LAB_LOCALES_PROBLEM === ''
    ? undefined
    : process.env.GATEHOUSE_LAB_LOCALES_PROBLEM;
}
