// What a prompt offers beyond typing: a Show toggle for secrets, the numeric
// keypad for one-time codes (unmasked when the module asks with echo on), and
// "Step 2 of 2" when the code follows a password.
import { scriptStack } from '../../lab/stacks';
import { expect, test } from '../support/fixtures';
import { MATRIX_PASSWORD, MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { prompt } from '../support/screen';

test('Show reveals what was typed, keeps the focus in the field, and Enter still answers', async ({ page, openScreen, keepScreenshot }) => {
  await openScreen({ mode: 'unlock', service: matrixStack(), user: MATRIX_USER });
  const password = prompt(page, 'Password:');
  await expect(password).toBeFocused();
  await page.keyboard.type(MATRIX_PASSWORD);
  const show = page.getByRole('button', { name: 'Show what you typed in “Password:”' });
  await expect(show).toHaveAttribute('aria-pressed', 'false');
  await show.click();
  await expect(password).toHaveAttribute('type', 'text');
  await expect(show).toHaveAttribute('aria-pressed', 'true');
  await expect(password).toBeFocused();
  await expect(password).toHaveValue(MATRIX_PASSWORD);
  await keepScreenshot('shown');
  await show.click();
  await expect(password).toHaveAttribute('type', 'password');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
});

test('a code asked with echo on: numeric keypad, not masked, step 2 of 2', async ({ page, openScreen, keepScreenshot }) => {
  const serve = await openScreen({
    mode: 'unlock',
    user: 'alice',
    service: scriptStack({
      auth: `
        msg echo-off "Password: "
        send
        expect-answer 0 "secret"
        msg echo-on "Verification code: "
        send
        expect-answer 0 "123456"
        return success
      `,
    }),
  });
  await expect(prompt(page, 'Password:')).toBeFocused();
  await expect(page.getByText('Step 2 of 2')).toHaveCount(0);
  await page.keyboard.type('secret');
  await page.keyboard.press('Enter');
  const code = prompt(page, 'Verification code:');
  await expect(code).toBeFocused();
  await expect(code).toHaveAttribute('inputmode', 'numeric');
  await expect(code).toHaveAttribute('type', 'text');
  await expect(page.getByText('Step 2 of 2')).toBeVisible();
  await keepScreenshot('code');
  await page.keyboard.type('123456');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
  expect((await serve.waitForOutcomes(1))[0]?.ok).toBe(true);
});
