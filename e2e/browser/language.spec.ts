// The person's own language: from the configuration (POSIX de_DE.UTF-8 or a tag),
// else from the environment (LC_ALL, LC_MESSAGES, LANG); a picker on the greeter;
// libpam's own texts in that language (its transaction thread runs in the
// locale); and the session gets the chosen language as LANG.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { testLocaleProblem } from '../../lab/locales';
import { sessionStack } from '../../lab/stacks';
import { homeOf, PASSWORD, USERS } from '../../lab/users';
import { requireTestUsers } from '../support/etc-overlay';
import { expect, test } from '../support/fixtures';
import { MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { answer, details, prompt } from '../support/screen';

const localeProblem = testLocaleProblem();
const LOGIN = {
  users: { source: 'list', users: [{ name: MATRIX_USER, displayName: 'Alice Liddell' }] },
  login: { sessions: [{ id: 'shell', name: 'Shell', argv: ['/bin/true'] }] },
};

test('a POSIX locale in the configuration (de_DE.UTF-8)', async ({ page, openScreen }) => {
  await openScreen({ mode: 'unlock', service: matrixStack(), user: MATRIX_USER, config: { locale: 'de_DE.UTF-8' } });
  await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');
  await expect(page.getByRole('button', { name: 'Entsperren' })).toBeVisible();
});

test('no locale configured: the environment\'s LANG', async ({ page, openScreen }) => {
  await openScreen({
    mode: 'unlock',
    service: matrixStack(),
    user: MATRIX_USER,
    config: { locale: undefined },
    env: { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' },
  });
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr-FR');
  await expect(page.getByRole('button', { name: 'Déverrouiller' })).toBeVisible();
});

test('the greeter\'s language picker: the screen changes at once, and PAM speaks the choice', async ({ page, openScreen, keepScreenshot }) => {
  test.skip(localeProblem !== undefined, `libpam in German: ${localeProblem}`);
  await openScreen({ mode: 'login', service: matrixStack({ failDelayUs: 100_000 }), config: LOGIN });
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Language').selectOption('de');
  await expect(page.getByRole('heading', { name: 'Anmelden' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await keepScreenshot('deutsch');
  await page.getByRole('button', { name: /Alice Liddell/ }).click();
  await answer(page, 'Password:', 'wrong');
  await expect(page.getByRole('alert')).toContainText('Anmeldung fehlgeschlagen');
  // libpam's pam_strerror, translated on the transaction's thread.
  await expect(await details(page)).toContainText('Fehler bei Authentifizierung');
});

test('libpam in the configured language (pam_strerror in German)', async ({ page, openScreen }) => {
  test.skip(localeProblem !== undefined, `libpam in German: ${localeProblem}`);
  await openScreen({ mode: 'unlock', service: matrixStack({ failDelayUs: 100_000 }), user: MATRIX_USER, config: { locale: 'de_DE.UTF-8' } });
  await answer(page, 'Password:', 'wrong');
  await expect(await details(page)).toContainText('PAM_AUTH_ERR: Fehler bei Authentifizierung');
});

test.describe('a real login', () => {
  requireTestUsers('the chosen language in a real login');

  test('pam_unix asks in German, and the session gets LANG=de_DE.UTF-8', async ({ page, openScreen }) => {
    test.skip(localeProblem !== undefined, `libpam in German: ${localeProblem}`);
    const user = USERS.e2e;
    const out = join(homeOf(user, process.env.GATEHOUSE_LAB_HOMES ?? ''), 'lang.out');
    rmSync(out, { force: true });
    const stack = sessionStack('tty9', { failDelayUs: 300_000 });
    const serve = await openScreen({
      mode: 'login',
      service: stack.service,
      config: {
        users: { source: 'list', users: [{ name: user.name, displayName: 'End To End' }] },
        login: { sessions: [{ id: 'probe', name: 'Probe', argv: ['/bin/sh', '-c', 'echo "$LANG" > "$HOME/lang.out"'] }], tty: 'tty9' },
      },
    });
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('button', { name: /End To End/ }).click();
    await answer(page, 'Passwort:', PASSWORD);
    await expect(page.getByRole('heading', { name: 'Anmelden' })).toBeVisible({ timeout: 10_000 });
    expect((await serve.waitForOutcomes(1))[0]?.ok).toBe(true);
    expect(readFileSync(out, 'utf8').trim()).toBe('de_DE.UTF-8');
    await expect(prompt(page, 'Passwort:')).toHaveCount(0);
  });
});
