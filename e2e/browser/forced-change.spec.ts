// The forced password change, as a person meets it: a mistyped confirmation or a
// refused password keeps them in the change step with a plain sentence, already
// signed in, while PAM allows another try; only when the stack's own retries are
// used up does the attempt end, and the screen says what to do next.
import { module } from '../../lab/paths';
import { unixStack } from '../../lab/stacks';
import { PASSWORD, NEW_PASSWORD, USERS } from '../../lab/users';
import { demoServe, demoStack, demoUser } from '../support/demo';
import { requireTestUsers } from '../support/etc-overlay';
import { expect, test } from '../support/fixtures';
import { alerts, answer, prompt } from '../support/screen';

const changeStep = (page: import('@playwright/test').Page) => page.getByRole('heading', { name: 'Change your password' });

test('demo stack: a mistyped confirmation, then a weak password: still in the change step, then changed', async ({ page, openScreen, keepScreenshot }) => {
  const bob = demoUser('bob');
  const serve = await openScreen(demoServe(demoStack(), 'unlock', 'bob'));
  await answer(page, 'Password:', bob.password);
  await expect(changeStep(page)).toBeVisible();
  await answer(page, 'Old password:', bob.password);
  await answer(page, 'New password:', 'fresh-meadow-42');
  await answer(page, 'Retype new password:', 'fresh-meadow-24');

  // pam_pwquality asks again within the same change: no trip back to the start.
  await expect(alerts(page)).toContainText('The two new passwords were not the same. Type the same new password twice.');
  await expect(prompt(page, 'New password:')).toBeFocused();
  await expect(changeStep(page)).toBeVisible();
  await expect(alerts(page)).not.toContainText('authentication service');
  await keepScreenshot('mismatch');

  await answer(page, 'New password:', 'short');
  await expect(alerts(page)).toContainText('Choose another password: The password is shorter than 10 characters.');
  await expect(alerts(page)).not.toContainText('BAD PASSWORD');
  await expect(prompt(page, 'New password:')).toBeFocused();
  await keepScreenshot('too-weak');

  await answer(page, 'New password:', 'fresh-meadow-42');
  await answer(page, 'Retype new password:', 'fresh-meadow-42');
  await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
  expect((await serve.waitForOutcomes(1)).map((o) => [o.ok, o.code])).toEqual([[true, 'PAM_SUCCESS']]);
});

test('demo stack: a wrong current password is asked again, in the change step', async ({ page, openScreen }) => {
  const bob = demoUser('bob');
  const serve = await openScreen(demoServe(demoStack(), 'unlock', 'bob'));
  await answer(page, 'Password:', bob.password);
  await answer(page, 'Old password:', 'not-bobs-password');
  // The engine calls pam_chauthtok again in the same transaction.
  await expect(prompt(page, 'Old password:')).toBeFocused();
  await expect(changeStep(page)).toBeVisible();
  await expect(alerts(page)).toContainText('Your password was not changed yet. Try again.');
  await answer(page, 'Old password:', bob.password);
  await answer(page, 'New password:', 'fresh-meadow-42');
  await answer(page, 'Retype new password:', 'fresh-meadow-42');
  await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
  expect((await serve.waitForOutcomes(1)).map((o) => o.code)).toEqual(['PAM_SUCCESS']);
});

test('demo stack: three refused passwords use up the stack\'s retries; the screen says to start again', async ({ page, openScreen, keepScreenshot }) => {
  const bob = demoUser('bob');
  const serve = await openScreen(demoServe(demoStack(), 'unlock', 'bob'));
  await answer(page, 'Password:', bob.password);
  await answer(page, 'Old password:', bob.password);
  for (const weak of ['short', 'tiny', 'small']) await answer(page, 'New password:', weak);
  await expect(alerts(page)).toContainText('Too many attempts');
  await expect(alerts(page)).toContainText('Your password was not changed. Start again with your current password.');
  await keepScreenshot('max-tries');
  await expect(prompt(page, 'Password:')).toBeFocused({ timeout: 8_000 });
  expect((await serve.waitForOutcomes(1)).map((o) => o.code)).toEqual(['PAM_MAXTRIES']);
});

test.describe('pam_unix', () => {
  requireTestUsers('the password change on pam_unix');

  test('pam_unix alone: a mistyped confirmation asks again in the same change (PAM_TRY_AGAIN)', async ({ page, openScreen }) => {
    const user = USERS.expiredE2eRetry.name;
    const stack = `${unixStack({ failDelayUs: 300_000 }).replace(/^password .*\n/gm, '')}\npassword required ${module('pam_unix.so')} yescrypt`;
    const serve = await openScreen({ mode: 'unlock', service: stack, user });
    await answer(page, 'Password:', PASSWORD);
    await answer(page, 'Current password:', PASSWORD);
    await answer(page, 'New password:', NEW_PASSWORD);
    await answer(page, 'Retype new password:', `${NEW_PASSWORD}-typo`);
    await expect(alerts(page)).toContainText('The two new passwords were not the same.');
    await expect(prompt(page, 'Current password:')).toBeFocused();
    await expect(changeStep(page)).toBeVisible();
    await answer(page, 'Current password:', PASSWORD);
    await answer(page, 'New password:', NEW_PASSWORD);
    await answer(page, 'Retype new password:', NEW_PASSWORD);
    await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
    expect((await serve.waitForOutcomes(1)).map((o) => o.code)).toEqual(['PAM_SUCCESS']);
  });
});
