// The forced password change of an expired account (pam_unix + pam_pwquality):
// its own step, the modules' prompts and messages as sent, one pwquality
// rejection, then success; the new password works afterwards.
import { unixStack } from '../../lab/stacks';
import { NEW_PASSWORD, PASSWORD, USERS, WEAK_PASSWORD } from '../../lab/users';
import { requireTestUsers } from '../support/etc-overlay';
import { expect, test } from '../support/fixtures';
import { alerts, answer, details, status } from '../support/screen';

test.describe('expired password', () => {
  requireTestUsers('password change on pam_unix + pam_pwquality');

  test('change an expired password with one pwquality rejection, then unlock with it', async ({ page, context, openScreen, keepScreenshot }) => {
    const user = USERS.expiredE2e.name;
    const serve = await openScreen({ mode: 'unlock', service: unixStack({ failDelayUs: 300_000 }), user });

    await answer(page, 'Password:', PASSWORD);
    await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
    // Said once, by the step itself; pam_unix's own words are under Details.
    await expect(page.getByText('Your password has expired.', { exact: false })).toHaveCount(1);
    await expect(alerts(page)).not.toContainText('You are required to change your password immediately');
    await expect(await details(page)).toContainText('You are required to change your password immediately (administrator enforced).');
    await expect(status(page)).toContainText(`Changing password for ${user}.`);
    // The step's button says what it does (not "Unlock", which this is not yet).
    await expect(page.getByRole('button', { name: 'Change password' })).toBeVisible();
    await keepScreenshot('change-step');

    await answer(page, 'Current password:', PASSWORD);
    await answer(page, 'New password:', WEAK_PASSWORD);
    await expect(alerts(page)).toContainText('Choose another password: The password is shorter than 12 characters.');
    // The module asks again; the rejection stays visible next to its prompt.
    await expect(page.getByLabel('New password:', { exact: true })).toBeFocused();
    await keepScreenshot('pwquality-rejection');
    await answer(page, 'New password:', NEW_PASSWORD);
    await expect(alerts(page)).not.toContainText('Choose another password');
    await answer(page, 'Retype new password:', NEW_PASSWORD);

    await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
    await keepScreenshot('changed');
    expect((await serve.waitForOutcomes(1)).map((o) => [o.ok, o.code])).toEqual([[true, 'PAM_SUCCESS']]);

    // A fresh lock screen: the new password unlocks without another change.
    const second = await context.newPage();
    try {
      const again = await openScreen({ mode: 'unlock', service: unixStack({ failDelayUs: 300_000 }), user }, second);
      await answer(second, 'Password:', NEW_PASSWORD);
      await expect(second.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
      expect((await again.waitForOutcomes(1))[0]?.ok).toBe(true);
    } finally {
      await second.close();
    }
    for (const secret of [PASSWORD, NEW_PASSWORD, WEAK_PASSWORD]) expect(serve.output()).not.toContain(secret);
  });
});
