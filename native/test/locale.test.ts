// The language libpam and the modules speak: a transaction started with a
// locale runs every call with it as its thread's locale (pam_strerror, the
// prompts libpam's pam_get_authtok sends), and the pooled thread goes back to
// the C locale for the next transaction. Needs de_DE.UTF-8: installed, or
// compiled by the test setup (lab/locales.ts, LOCPATH).
import { describe, expect, it } from 'vitest';
import { PamError, PamTransaction, localeAvailable } from '../index';
import { makeConfDir } from '../../lab/confdir';
import { testLocaleProblem } from '../../lab/locales';
import { writePassdb, matrixService } from '../../lab/matrix';
import { describeInEtcOverlay } from '../../lab/skip';
import { USERS } from '../../lab/users';
import { scripted } from './helpers';

async function failureText(service: string, confDir: string, user: string, locale: string | undefined): Promise<{ text: string; prompts: string[] }> {
  const rec = scripted(['wrong password']);
  const tx = await PamTransaction.start({ service, user, confDir, conversation: rec.conversation, ...(locale === undefined ? {} : { locale }) });
  const error = await tx.authenticate().then(
    () => undefined,
    (e: unknown) => e as PamError,
  );
  await tx.end();
  expect(error).toBeInstanceOf(PamError);
  return { text: error!.message, prompts: rec.transcript };
}

const problem = testLocaleProblem();
if (problem !== undefined) console.warn(`SKIP libpam in German: ${problem}`);

describe.skipIf(problem !== undefined)('a transaction\'s locale', () => {
  it('localeAvailable: installed locales only, never a path', () => {
    expect(localeAvailable('de_DE.UTF-8')).toBe(true);
    expect(localeAvailable('xx_YY.UTF-8')).toBe(false);
    expect(localeAvailable('../../../etc')).toBe(false);
    expect(localeAvailable('/usr/lib/locale/C.utf8')).toBe(false);
  });

  it('pam_strerror in German for that transaction only; the next one on the same thread speaks English', async () => {
    const passdb = writePassdb([{ user: 'alice', password: 'secret', service: 'svc' }]);
    const conf = makeConfDir({ svc: matrixService(passdb) });
    expect((await failureText('svc', conf.dir, 'alice', 'de_DE.UTF-8')).text).toBe('Fehler bei Authentifizierung');
    // Transactions reuse pooled threads: none keeps another's language.
    for (let i = 0; i < 3; i++) expect((await failureText('svc', conf.dir, 'alice', undefined)).text).toBe('Authentication failure');
    // A locale that is not installed leaves PAM in English, without failing.
    expect((await failureText('svc', conf.dir, 'alice', 'xx_YY.UTF-8')).text).toBe('Authentication failure');
  });

  it('refuses a locale name that is no name', async () => {
    for (const locale of ['../etc', 'de/DE', '', 'de_DE.UTF-8\n']) {
      await expect(PamTransaction.start({ service: 'svc', locale, conversation: () => [] })).rejects.toThrow(TypeError);
    }
  });
});

describeInEtcOverlay('pam_unix in German', () => {
  it.skipIf(problem !== undefined)('libpam\'s own prompt is German', async () => {
    const conf = makeConfDir({ svc: 'auth required pam_unix.so' });
    const { prompts, text } = await failureText('svc', conf.dir, USERS.plain.name, 'de_DE.UTF-8');
    expect(prompts).toEqual(['echo-off Passwort: ']);
    expect(text).toBe('Fehler bei Authentifizierung');
  });
});
