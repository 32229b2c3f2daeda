// pam_faillock: three wrong passwords lock the account. From then on the
// module's lock messages (two info messages) are shown next to the prompt, and
// even the right password is refused.
import { join } from 'node:path';
import { faillockStack } from '../../lab/stacks';
import { makeTempDir } from '../../lab/tmp';
import { PASSWORD, USERS } from '../../lab/users';
import { requireTestUsers } from '../support/etc-overlay';
import { expect, test } from '../support/fixtures';
import { alerts, answer, countdown, prompt, status } from '../support/screen';

test.describe('pam_faillock', () => {
  requireTestUsers('lockout by pam_faillock');

  test('three failures lock the account; the lock is shown with its messages', async ({ page, openScreen, keepScreenshot }) => {
    const user = USERS.faillockE2e.name;
    // pam_faillock creates its tally directory on demand.
    const tally = join(makeTempDir('gatehouse-e2e-faillock-'), 'tally');
    const serve = await openScreen({
      mode: 'unlock',
      service: faillockStack(tally, { deny: 3, unlockTime: 120, failDelayUs: 300_000 }),
      user,
    });

    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await answer(page, 'Password:', `Wrong-${attempt}-Horse`);
      await expect(alerts(page)).toContainText('Authentication failed');
      await expect(countdown(page)).toHaveCount(0, { timeout: 5_000 });
    }

    // The fourth attempt: pam_faillock speaks before the prompt.
    await expect(status(page)).toContainText('The account is locked due to 3 failed logins.');
    await expect(status(page)).toContainText('(2 minutes left to unlock)');
    await expect(prompt(page, 'Password:')).toBeFocused();
    await keepScreenshot('locked');
    await answer(page, 'Password:', PASSWORD);
    await expect(alerts(page)).toContainText('Authentication failed');
    await keepScreenshot('refused-while-locked');

    const outcomes = await serve.waitForOutcomes(4);
    expect(outcomes.map((o) => o.code)).toEqual(['PAM_AUTH_ERR', 'PAM_AUTH_ERR', 'PAM_AUTH_ERR', 'PAM_AUTH_ERR']);
  });
});
