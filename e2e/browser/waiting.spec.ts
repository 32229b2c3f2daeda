// While the form waits (the engine checks an answer, a fail delay runs), the
// field looks disabled and keys typed into nothing are reported, not silently
// dropped. Escape empties a field first; on the greeter it never resets the
// chosen session.
import { expect, test } from '../support/fixtures';
import { MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { answer, countdown, prompt, status } from '../support/screen';

test('keys typed during the fail delay are reported; the waiting field looks disabled', async ({ page, openScreen, keepScreenshot }) => {
  await openScreen({ mode: 'unlock', service: matrixStack({ failDelayUs: 4_000_000 }), user: MATRIX_USER });
  await answer(page, 'Password:', 'wrong');
  await expect(countdown(page)).toBeVisible();
  const field = prompt(page, 'Password:');
  await expect(field).toBeDisabled();
  await expect(field).toHaveCSS('border-top-style', 'dashed');
  await expect(field).toHaveCSS('cursor', 'not-allowed');
  await page.keyboard.type('retyp');
  await expect(status(page)).toContainText('Please wait: keys typed now are not kept. Type again when the field is ready.');
  await keepScreenshot('typed-while-waiting');
  // The next attempt's field takes the keys again, and the note goes.
  await expect(field).toBeFocused({ timeout: 8_000 });
  await expect(status(page)).not.toContainText('Please wait');
  await expect(field).toHaveCSS('border-top-style', 'solid');
});

test('Escape on the lock screen empties the field and stays there', async ({ page, openScreen }) => {
  const serve = await openScreen({ mode: 'unlock', service: matrixStack(), user: MATRIX_USER });
  const field = prompt(page, 'Password:');
  await expect(field).toBeFocused();
  await page.keyboard.type('half a passw');
  await page.keyboard.press('Escape');
  await expect(field).toHaveValue('');
  await expect(field).toBeFocused();
  expect(serve.outcomes).toEqual([]);
});

test('the greeter keeps the chosen session through Escape and going back', async ({ page, openScreen }) => {
  await openScreen({
    mode: 'login',
    service: matrixStack(),
    config: {
      users: { source: 'list', users: [{ name: MATRIX_USER, displayName: 'Alice Liddell' }] },
      login: { sessions: [{ id: 'gnome', name: 'GNOME', argv: ['/bin/true'] }, { id: 'xterm', name: 'Xterm', argv: ['/bin/true'] }] },
    },
  });
  await page.getByLabel('Session').selectOption('xterm');
  const name = page.getByLabel('Other user', { exact: true });
  await name.fill('someone');
  await name.press('Escape');
  await expect(name).toHaveValue('');
  await expect(page.getByLabel('Session')).toHaveValue('xterm');

  await page.getByRole('button', { name: /Alice Liddell/ }).click();
  const password = prompt(page, 'Password:');
  await expect(password).toBeFocused();
  await page.keyboard.type('abc');
  await page.keyboard.press('Escape');
  await expect(password).toHaveValue('');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Session')).toHaveValue('xterm');
});
