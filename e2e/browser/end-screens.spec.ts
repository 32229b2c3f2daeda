// The end of a screen's work: no on-screen keyboard left to type on, a drawn
// check mark for success (a cross for a declined request), the heading focused.
import { expect, test } from '../support/fixtures';
import { MATRIX_PASSWORD, MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { answer } from '../support/screen';

test('unlocked: a check mark, no keyboard and no toggle', async ({ page, openScreen, keepScreenshot }) => {
  await openScreen({ mode: 'unlock', service: matrixStack(), user: MATRIX_USER });
  await page.getByRole('button', { name: 'Show the on-screen keyboard' }).click();
  await expect(page.getByRole('group', { name: 'On-screen keyboard' })).toBeVisible();
  await answer(page, 'Password:', MATRIX_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeFocused();
  await expect(page.getByRole('group', { name: 'On-screen keyboard' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /on-screen keyboard/ })).toHaveCount(0);
  const mark = page.locator('.done-success svg.done-mark');
  await expect(mark).toBeVisible();
  await expect(mark.locator('path')).toHaveAttribute('d', /^M14\.5 24\.5l/);
  await keepScreenshot('unlocked');
});

test('declined: a cross', async ({ page, openScreen }) => {
  await openScreen({ mode: 'elevate', service: matrixStack(), user: MATRIX_USER });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Request cancelled' })).toBeFocused();
  await expect(page.locator('.done-neutral svg.done-mark path')).toHaveAttribute('d', /^M17 17l14 14/);
  await expect(page.getByRole('button', { name: /on-screen keyboard/ })).toHaveCount(0);
});
