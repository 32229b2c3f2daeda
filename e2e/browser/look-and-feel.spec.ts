// Language, theme, reduced motion, and the on-screen keyboard of a kiosk.
import type { Page } from '@playwright/test';
import { scriptStack } from '../../lab/stacks';
import { expect, test } from '../support/fixtures';
import { MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { prompt, status } from '../support/screen';

const WAITING_MODULE = scriptStack({ auth: 'msg info "Place your finger on the reader"\nsend\nsleep 3000' });

test('the language comes from the configured locale; PAM text stays as sent', async ({ page, openScreen, keepScreenshot }) => {
  await openScreen({ mode: 'unlock', service: matrixStack(), user: MATRIX_USER, config: { locale: 'de_DE' } });
  await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');
  await expect(page.getByRole('button', { name: 'Entsperren' })).toBeVisible();
  await expect(page.getByText('Gesperrt', { exact: true })).toBeVisible();
  await expect(prompt(page, 'Password:')).toBeFocused();
  await expect(page).toHaveTitle('Gesperrt');
  await keepScreenshot('german');
});

test('the high-contrast theme is black and white with yellow actions', async ({ page, openScreen, keepScreenshot }) => {
  await openScreen({ mode: 'unlock', service: matrixStack(), user: MATRIX_USER, config: { theme: 'high-contrast' } });
  await expect(prompt(page, 'Password:')).toBeFocused();
  await expect(page.getByRole('main')).toHaveCSS('background-color', 'rgb(0, 0, 0)');
  await expect(page.getByRole('main')).toHaveCSS('color', 'rgb(255, 255, 255)');
  await expect(page.getByRole('button', { name: 'Unlock' })).toHaveCSS('background-color', 'rgb(255, 255, 0)');
  await keepScreenshot('high-contrast');
});

async function expectSpinnerAnimation(page: Page, name: string): Promise<void> {
  await expect(status(page)).toContainText('Place your finger on the reader');
  await expect(status(page).locator('.spinner')).toHaveCSS('animation-name', name);
}

test('motion stops when the system asks for reduced motion', async ({ page, browser, openScreen }) => {
  await openScreen({ mode: 'unlock', service: WAITING_MODULE, user: 'alice' });
  await expectSpinnerAnimation(page, 'gh-spin');

  const reducedContext = await browser.newContext({ reducedMotion: 'reduce' });
  try {
    const reduced = await reducedContext.newPage();
    await openScreen({ mode: 'unlock', service: WAITING_MODULE, user: 'alice' }, reduced);
    await expectSpinnerAnimation(reduced, 'none');
  } finally {
    await reducedContext.close();
  }
});

test('a touch kiosk types the password on the on-screen keyboard', async ({ page, openScreen, keepScreenshot }) => {
  const password = 'Kiosk-42';
  const serve = await openScreen({ mode: 'unlock', service: matrixStack({ password }), user: MATRIX_USER });
  await expect(prompt(page, 'Password:')).toBeFocused();
  await page.getByRole('button', { name: 'Show the on-screen keyboard' }).click();
  const keyboard = page.getByRole('group', { name: 'On-screen keyboard' });
  const tap = (name: string) => keyboard.getByRole('button', { name, exact: true }).click();

  for (const char of password) {
    if (/[A-Z]/.test(char)) {
      await tap('Shift');
      await tap(char);
    } else if (/[a-z0-9]/.test(char)) {
      await tap(char);
    } else {
      await tap('Symbols');
      await tap(char);
      await tap('Letters');
    }
  }
  // The field kept focus through every tap and holds what was typed.
  await expect(prompt(page, 'Password:')).toBeFocused();
  await expect(prompt(page, 'Password:')).toHaveValue(password);
  await keepScreenshot('keyboard');
  await tap('Enter');
  await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
  expect((await serve.waitForOutcomes(1))[0]?.ok).toBe(true);
});
