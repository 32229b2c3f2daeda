// unlock: a wrong password, then the right one. The module's error and the
// outcome are shown, the form stays disabled while the fail delay counts down,
// the next attempt starts by itself, and the right password unlocks.
import { USERS, PASSWORD } from '../../lab/users';
import { unixStack } from '../../lab/stacks';
import { requireTestUsers } from '../support/etc-overlay';
import { expect, test } from '../support/fixtures';
import { MATRIX_PASSWORD, MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { alerts, answer, countdown, details, prompt, status } from '../support/screen';

test('unlock with a wrong then the right password (pam_matrix + pam_faildelay)', async ({ page, openScreen, keepScreenshot }) => {
  const serve = await openScreen({ mode: 'unlock', service: matrixStack({ failDelayUs: 2_000_000 }), user: MATRIX_USER });
  await expect(page.getByRole('heading', { level: 1, name: MATRIX_USER })).toBeVisible();
  await expect(page.locator('time')).toBeVisible();
  // No user switching on a lock screen.
  await expect(page.getByRole('button', { name: /another user/i })).toHaveCount(0);

  await answer(page, 'Password:', 'not-the-password');
  // pam_matrix's own error and the outcome say the same: said once; PAM's own words are under Details.
  await expect(alerts(page)).toContainText('Authentication failed');
  await expect(await details(page)).toContainText('PAM_AUTH_ERR: Authentication failure');
  await expect(countdown(page)).toContainText(/Try again in \d+ seconds?/);
  await expect(prompt(page, 'Password:')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeDisabled();
  await keepScreenshot('countdown');

  // The delay passes, the next attempt begins by itself and its prompt takes focus.
  await expect(countdown(page)).toHaveCount(0, { timeout: 5_000 });
  await expect(prompt(page, 'Password:')).toBeFocused();
  await answer(page, 'Password:', MATRIX_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeFocused();
  await expect(status(page)).toContainText('Authentication succeeded');
  await keepScreenshot('unlocked');

  const outcomes = await serve.waitForOutcomes(2);
  expect(outcomes.map((o) => [o.ok, o.code])).toEqual([
    [false, 'PAM_AUTH_ERR'],
    [true, 'PAM_SUCCESS'],
  ]);
  // Nothing serve printed contains an answer.
  expect(serve.output()).not.toContain(MATRIX_PASSWORD);
  expect(serve.output()).not.toContain('not-the-password');
});

test.describe('pam_unix', () => {
  requireTestUsers('unlock on pam_unix');

  test('unlock with a wrong then the right password (pam_unix, its own fail delay)', async ({ page, openScreen, keepScreenshot }) => {
    const serve = await openScreen({ mode: 'unlock', service: unixStack(), user: USERS.plain.name });
    await answer(page, 'Password:', 'Wrong-Horse-Battery');
    // pam_unix says nothing on a wrong password: the outcome is the error shown.
    await expect(alerts(page)).toContainText('Authentication failed');
    await expect(countdown(page)).toContainText(/Try again in \d+ seconds?/);
    await expect(prompt(page, 'Password:')).toBeDisabled();
    await keepScreenshot('countdown');
    await expect(prompt(page, 'Password:')).toBeFocused({ timeout: 8_000 });
    await answer(page, 'Password:', PASSWORD);
    await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
    await keepScreenshot('unlocked');
    expect((await serve.waitForOutcomes(2)).map((o) => o.code)).toEqual(['PAM_AUTH_ERR', 'PAM_SUCCESS']);
    expect(serve.output()).not.toContain(PASSWORD);
  });
});
