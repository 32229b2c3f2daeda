// A password, then a one-time code as the second factor (pam_unix + pam_oath):
// each prompt shown as the module sends it; a wrong code fails the attempt, the
// next attempt asks for both again.
import { makeOtpUsers, otpPrompt } from '../../lab/otp';
import { otpStack } from '../../lab/stacks';
import { PASSWORD, USERS } from '../../lab/users';
import { requireTestUsers } from '../support/etc-overlay';
import { expect, test } from '../support/fixtures';
import { alerts, answer, prompt } from '../support/screen';

test.describe('second factor', () => {
  requireTestUsers('OTP second factor on pam_unix + pam_oath');

  test('password then a one-time code; a wrong code first', async ({ page, openScreen, keepScreenshot }) => {
    const user = USERS.otpE2e.name;
    const otp = makeOtpUsers([user]);
    const serve = await openScreen({ mode: 'unlock', service: otpStack(otp.usersFile, { failDelayUs: 500_000 }), user });

    await answer(page, 'Password:', PASSWORD);
    await expect(prompt(page, otpPrompt(user))).toBeFocused();
    // pam_oath asks with echo off: masked, but with the numeric keypad, as the second step.
    await expect(prompt(page, otpPrompt(user))).toHaveAttribute('type', 'password');
    await expect(prompt(page, otpPrompt(user))).toHaveAttribute('inputmode', 'numeric');
    await expect(page.getByText('Step 2 of 2')).toBeVisible();
    await keepScreenshot('code-prompt');
    await answer(page, otpPrompt(user), otp.wrongCode(user));
    await expect(alerts(page)).toContainText('Authentication failed');

    await answer(page, 'Password:', PASSWORD);
    await answer(page, otpPrompt(user), otp.code(user));
    await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
    await keepScreenshot('unlocked');
    expect((await serve.waitForOutcomes(2)).map((o) => o.code)).toEqual(['PAM_AUTH_ERR', 'PAM_SUCCESS']);
  });
});
