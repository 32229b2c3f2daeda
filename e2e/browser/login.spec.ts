// The greeter without real users (pam_matrix): a typed user name, a failed
// attempt that is tried again for the same user, and power actions.
import { expect, test } from '../support/fixtures';
import { MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { alerts, answer, countdown, prompt } from '../support/screen';

const SESSIONS = { sessions: [{ id: 'shell', name: 'Shell', argv: ['/bin/true'] }] };

test('a typed user name; after a failure the same user is asked again', async ({ page, openScreen, keepScreenshot }) => {
  const serve = await openScreen({ mode: 'login', service: matrixStack({ failDelayUs: 2_000_000 }), config: { login: SESSIONS } });
  const name = page.getByLabel('User name', { exact: true });
  await expect(name).toBeFocused();
  await name.fill(MATRIX_USER);
  await name.press('Enter');
  await expect(page.getByRole('heading', { name: `Signing in as ${MATRIX_USER}` })).toBeVisible();
  await answer(page, 'Password:', 'wrong');
  await expect(alerts(page)).toContainText('Authentication failed');
  await expect(countdown(page)).toBeVisible();
  await keepScreenshot('failed');
  await expect(prompt(page, 'Password:')).toBeFocused({ timeout: 5_000 });
  await expect(page.getByRole('heading', { name: `Signing in as ${MATRIX_USER}` })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('User name', { exact: true })).toBeFocused();
  const outcomes = await serve.waitForOutcomes(2);
  expect(outcomes.map((o) => [o.user, o.code])).toEqual([
    [MATRIX_USER, 'PAM_AUTH_ERR'],
    [MATRIX_USER, 'CANCELLED'],
  ]);
});

test('a power action goes to the engine, which reports when it fails', async ({ page, openScreen }) => {
  await openScreen({
    mode: 'login',
    service: matrixStack(),
    config: { login: SESSIONS, power: { allowed: ['reboot', 'poweroff'], commands: { reboot: ['/bin/false'], poweroff: ['/bin/false'] } } },
  });
  const power = page.getByRole('group', { name: 'Power' });
  await expect(power.getByRole('button', { name: 'Power off' })).toBeVisible();
  await power.getByRole('button', { name: 'Restart' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Restart' }).click();
  await expect(alerts(page)).toContainText('The computer could not be restarted.');
});
