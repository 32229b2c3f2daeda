// Keyboard only: no pointer anywhere. Focus is where the next keystroke belongs
// (each new prompt, the user list), Enter answers, Tab reaches every control.
import { sessionStack } from '../../lab/stacks';
import { PASSWORD, USERS } from '../../lab/users';
import { requireTestUsers } from '../support/etc-overlay';
import { expect, test } from '../support/fixtures';
import { MATRIX_PASSWORD, MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { alerts, prompt } from '../support/screen';

test('elevate by keyboard: a wrong password, the right one, focus following each prompt', async ({ page, openScreen, keepScreenshot }) => {
  const serve = await openScreen({ mode: 'elevate', service: matrixStack({ failDelayUs: 1_000_000 }), user: MATRIX_USER });
  const password = prompt(page, 'Password:');
  await expect(password).toBeFocused();

  // Tab order: the prompt, its Show toggle, the submit button, Cancel, then the toolbar.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: /^Show what you typed/ })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Confirm' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Show the on-screen keyboard' })).toBeFocused();
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+Tab');
  await expect(password).toBeFocused();

  await page.keyboard.type('wrong password');
  await page.keyboard.press('Enter');
  await expect(alerts(page)).toContainText('Authentication failed');
  // The next attempt's prompt takes focus by itself once the delay is over.
  await expect(password).toBeFocused({ timeout: 5_000 });
  await expect(password).toHaveValue('');
  await page.keyboard.type(MATRIX_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Approved' })).toBeFocused();
  await keepScreenshot('approved');
  expect((await serve.waitForOutcomes(2)).map((o) => o.code)).toEqual(['PAM_AUTH_ERR', 'PAM_SUCCESS']);
});

test.describe('login', () => {
  requireTestUsers('keyboard-only login with a real session');

  test('login by keyboard: pick the user, session, password; the session runs and ends', async ({ page, openScreen, keepScreenshot }) => {
    const user = USERS.e2e;
    const stack = sessionStack('tty9', { failDelayUs: 300_000 });
    const serve = await openScreen({
      mode: 'login',
      service: stack.service,
      config: {
        users: { source: 'list', users: [{ name: user.name, displayName: 'End To End' }] },
        login: {
          sessions: [
            { id: 'shell', name: 'Shell', argv: ['/bin/true'] },
            { id: 'pause', name: 'Short pause', argv: ['/bin/sleep', '1'] },
          ],
          tty: 'tty9',
        },
        power: { allowed: ['reboot'], commands: { reboot: ['/bin/true'] } },
      },
    });

    const userButton = page.getByRole('button', { name: /End To End/ });
    await expect(userButton).toBeFocused();
    await expect(page.getByRole('group', { name: 'Power' }).getByRole('button', { name: 'Restart' })).toBeVisible();
    await keepScreenshot('user-list');
    // To the session choice and back: Tab passes the name field, then the session.
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Other user')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Session')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByLabel('Session')).toHaveValue('pause');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(userButton).toBeFocused();
    await page.keyboard.press('Enter');

    await expect(page.getByRole('heading', { name: `Signing in as ${user.name}` })).toBeVisible();
    await expect(prompt(page, 'Password:')).toBeFocused();
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Session running' })).toBeVisible();
    await keepScreenshot('session');

    // The session command ends; the greeter is back, focus on the list.
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 10_000 });
    await expect(userButton).toBeFocused();
    const [outcome] = await serve.waitForOutcomes(1);
    expect([outcome?.ok, outcome?.code, outcome?.user]).toEqual([true, 'PAM_SUCCESS', user.name]);
  });
});
