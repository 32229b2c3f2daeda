// What modules say, shown the moment they say it: info while a module works with
// no prompt pending, an error that does not end the flow, a batch of prompts
// answered together, a yes/no (radio) prompt, an empty answer.
import { messageStack, scriptStack } from '../../lab/stacks';
import { PASSWORD, USERS } from '../../lab/users';
import { requireTestUsers } from '../support/etc-overlay';
import { expect, test } from '../support/fixtures';
import { alerts, answer, prompt, status } from '../support/screen';

// The scripted module (native/fixtures): every answer is checked by the module
// itself (expect-answer), so a wrong or missing one fails the flow.
const SECURITY_KEY_SCRIPT = {
  auth: `
    msg info "Insert your security key"
    send
    sleep 1500
    msg info "Security key found"
    send
    msg error "This key is not registered for this computer yet"
    send
    msg info "Choose a PIN for the key"
    msg echo-off "New PIN: "
    msg echo-off "Repeat PIN: "
    send
    expect-answer 1 "2468"
    expect-answer 2 "2468"
    msg radio "Remember this computer?"
    send
    expect-answer 0 "yes"
    msg echo-on "Name for this key (optional): "
    send
    expect-answer 0 ""
    return success
  `,
};

test('info messages while a module waits, an error that is not the end, a batch, a radio prompt', async ({ page, openScreen, keepScreenshot }) => {
  const serve = await openScreen({ mode: 'unlock', service: scriptStack(SECURITY_KEY_SCRIPT), user: 'alice' });

  // The module sleeps with nothing to ask: its message is there, and no input.
  await expect(status(page)).toContainText('Insert your security key');
  await expect(status(page)).toContainText('Waiting for the authentication service');
  await expect(page.locator('main input')).toHaveCount(0);
  await expect(status(page)).not.toContainText('Security key found');
  await keepScreenshot('waiting');

  await expect(status(page)).toContainText('Security key found', { timeout: 5_000 });
  await expect(alerts(page)).toContainText('This key is not registered for this computer yet');
  await expect(status(page)).toContainText('Choose a PIN for the key');

  // One PAM batch: both prompts at once, the first focused, one submit for both.
  const newPin = prompt(page, 'New PIN:');
  const repeatPin = prompt(page, 'Repeat PIN:');
  await expect(newPin).toBeFocused();
  await expect(repeatPin).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unlock' })).toHaveCount(1);
  await keepScreenshot('batch');
  await newPin.fill('2468');
  // Tab passes the first field's Show toggle on the way to the second field.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(repeatPin).toBeFocused();
  await repeatPin.fill('2468');
  await repeatPin.press('Enter');

  const remember = page.getByRole('group', { name: 'Remember this computer?' });
  await expect(remember.getByRole('radio', { name: 'Yes' })).toBeFocused();
  await remember.getByRole('radio', { name: 'Yes' }).check();
  await keepScreenshot('radio');
  await page.keyboard.press('Enter');

  // echo-on, and an empty answer is a valid answer.
  await expect(prompt(page, 'Name for this key (optional):')).toHaveAttribute('type', 'text');
  await answer(page, 'Name for this key (optional):', '');

  await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
  expect((await serve.waitForOutcomes(1)).map((o) => [o.ok, o.code])).toEqual([[true, 'PAM_SUCCESS']]);
});

test.describe('stock modules', () => {
  requireTestUsers('messages from pam_echo, pam_nologin and pam_exec');

  test('pam_echo, pam_nologin and a slow pam_exec speak before pam_unix asks', async ({ page, openScreen, keepScreenshot }) => {
    const user = USERS.e2e.name;
    const stack = messageStack({ sleepSeconds: 1, failDelayUs: 300_000 });
    const serve = await openScreen({ mode: 'unlock', service: stack.service, user });

    await expect(status(page)).toContainText(stack.texts.welcome(user));
    await expect(alerts(page)).toContainText(stack.texts.nologin);
    await expect(status(page)).toContainText(stack.texts.first);
    await expect(status(page)).toContainText(stack.texts.second, { timeout: 5_000 });
    await expect(prompt(page, 'Password:')).toBeFocused();
    await keepScreenshot('before-prompt');
    await answer(page, 'Password:', PASSWORD);
    await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
    expect((await serve.waitForOutcomes(1))[0]?.ok).toBe(true);
  });
});
