// Cancel: declining a privilege request (button, or Escape), and leaving a
// login attempt for another user. The engine reports CANCELLED.
import { expect, test } from '../support/fixtures';
import { MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { answer, countdown, prompt } from '../support/screen';

const LOGIN_CONFIG = {
  users: { source: 'list', users: [{ name: MATRIX_USER, displayName: 'Alice Liddell' }] },
  login: { sessions: [{ id: 'shell', name: 'Shell', argv: ['/bin/true'] }] },
};

test('elevate: the request, the program, and Cancel declines it', async ({ page, openScreen, keepScreenshot }) => {
  const serve = await openScreen({ mode: 'elevate', service: matrixStack(), user: MATRIX_USER });
  await expect(page.getByRole('heading', { level: 1, name: 'Authentication required' })).toBeVisible();
  await expect(page.getByText('Software Updates wants to:')).toBeVisible();
  await expect(page.getByText('Install 3 software updates')).toBeVisible();
  await expect(page.getByText(`Confirm as ${MATRIX_USER}`)).toBeVisible();
  await expect(prompt(page, 'Password:')).toBeFocused();
  await keepScreenshot('request');

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Request cancelled' })).toBeFocused();
  await keepScreenshot('cancelled');
  expect((await serve.waitForOutcomes(1)).map((o) => [o.ok, o.code])).toEqual([[false, 'CANCELLED']]);
});

test('elevate: Escape declines too', async ({ page, openScreen }) => {
  const serve = await openScreen({ mode: 'elevate', service: matrixStack(), user: MATRIX_USER });
  await expect(prompt(page, 'Password:')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Request cancelled' })).toBeVisible();
  expect((await serve.waitForOutcomes(1))[0]?.code).toBe('CANCELLED');
});

test('elevate: Cancel during the fail delay after a wrong password declines it too', async ({ page, openScreen }) => {
  const serve = await openScreen({ mode: 'elevate', service: matrixStack({ failDelayUs: 4_000_000 }), user: MATRIX_USER });
  await answer(page, 'Password:', 'not the password');
  await expect(countdown(page)).toContainText(/Try again in \d+ seconds?/);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Request cancelled' })).toBeVisible();
  // The caller hears the refusal as an outcome of its own, after the failed attempt.
  expect((await serve.waitForOutcomes(2)).map((o) => [o.ok, o.code])).toEqual([
    [false, 'PAM_AUTH_ERR'],
    [false, 'CANCELLED'],
  ]);
});

test('login: going back cancels the attempt and shows the user list again', async ({ page, openScreen, keepScreenshot }) => {
  const serve = await openScreen({ mode: 'login', service: matrixStack(), config: LOGIN_CONFIG });
  await page.getByRole('button', { name: /Alice Liddell/ }).click();
  await expect(page.getByRole('heading', { name: `Signing in as ${MATRIX_USER}` })).toBeVisible();
  await expect(prompt(page, 'Password:')).toBeFocused();
  await keepScreenshot('password');
  await page.getByRole('button', { name: 'Choose another user' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Alice Liddell/ })).toBeFocused();
  expect((await serve.waitForOutcomes(1)).map((o) => [o.ok, o.code])).toEqual([[false, 'CANCELLED']]);
});
