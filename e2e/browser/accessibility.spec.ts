// axe-core scans of every kind of screen, in every theme: no serious or critical
// violation. Each scanned screen is kept as a screenshot.
import type { Page } from '@playwright/test';
import { scriptStack } from '../../lab/stacks';
import { seriousViolations } from '../support/axe';
import { demoServe, demoStack } from '../support/demo';
import { expect, test } from '../support/fixtures';
import { MATRIX_PASSWORD, MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { alerts, answer, countdown, prompt } from '../support/screen';

// Several axe scans per test.
test.describe.configure({ timeout: 120_000 });

async function expectNoSeriousViolations(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

test('unlock: prompt, then failure with countdown (dark theme)', async ({ page, openScreen, keepScreenshot }) => {
  await openScreen({ mode: 'unlock', service: matrixStack({ failDelayUs: 3_000_000 }), user: MATRIX_USER });
  await expect(prompt(page, 'Password:')).toBeFocused();
  await expectNoSeriousViolations(page);
  await answer(page, 'Password:', 'wrong');
  await expect(countdown(page)).toBeVisible();
  await expect(alerts(page)).toContainText('Authentication failed');
  await keepScreenshot('failure');
  await expectNoSeriousViolations(page);
});

test('login: user list, sessions, power actions (light theme)', async ({ page, openScreen, keepScreenshot }) => {
  await openScreen({
    mode: 'login',
    service: matrixStack(),
    config: {
      theme: 'light',
      users: { source: 'list', users: [{ name: MATRIX_USER, displayName: 'Alice Liddell' }, { name: 'bob' }] },
      login: { sessions: [{ id: 'gnome', name: 'GNOME' }, { id: 'xterm', name: 'Xterm' }].map((s) => ({ ...s, argv: ['/bin/true'] })) },
      power: { allowed: ['poweroff', 'reboot', 'suspend'], commands: { poweroff: ['/bin/true'], reboot: ['/bin/true'], suspend: ['/bin/true'] } },
    },
  });
  await expect(page.getByRole('button', { name: /Alice Liddell/ })).toBeFocused();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await keepScreenshot('user-list');
  await expectNoSeriousViolations(page);
  await page.getByRole('button', { name: /bob/ }).click();
  await expect(prompt(page, 'Password:')).toBeFocused();
  await keepScreenshot('password');
  await expectNoSeriousViolations(page);
});

test('elevate: request and prompt (high-contrast theme)', async ({ page, openScreen, keepScreenshot }) => {
  await openScreen({ mode: 'elevate', service: matrixStack(), user: MATRIX_USER, config: { theme: 'high-contrast' } });
  await expect(prompt(page, 'Password:')).toBeFocused();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'high-contrast');
  await keepScreenshot('prompt');
  await expectNoSeriousViolations(page);
});

test('password change step, a batch and the on-screen keyboard (German)', async ({ page, openScreen, keepScreenshot }) => {
  await openScreen({
    mode: 'unlock',
    user: 'alice',
    config: { locale: 'de_DE' },
    service: scriptStack({
      auth: 'msg echo-off "Password: "\nsend',
      account: 'msg error "You are required to change your password immediately (administrator enforced)."\nsend\nreturn new_authtok_reqd',
      chauthtok: 'msg info "Changing password for alice."\nmsg echo-off "New password: "\nmsg echo-off "Retype new password: "\nsend',
    }),
  });
  await answer(page, 'Password:', 'anything');
  await expect(page.getByRole('heading', { name: 'Passwort ändern' })).toBeVisible();
  await expect(prompt(page, 'New password:')).toBeFocused();
  await expect(prompt(page, 'Retype new password:')).toBeVisible();
  await page.getByRole('button', { name: 'Bildschirmtastatur einblenden' }).click();
  await expect(page.getByRole('group', { name: 'Bildschirmtastatur' })).toBeVisible();
  await keepScreenshot('change-password');
  await expectNoSeriousViolations(page);
});

test('the end screens: approved and cancelled', async ({ page, context, openScreen }) => {
  await openScreen({ mode: 'elevate', service: matrixStack(), user: MATRIX_USER });
  await answer(page, 'Password:', MATRIX_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Approved' })).toBeVisible();
  await expectNoSeriousViolations(page);

  // A page of the test's own context: axe cannot scan pages from browser.newPage().
  const second = await context.newPage();
  try {
    await openScreen({ mode: 'elevate', service: matrixStack(), user: MATRIX_USER }, second);
    await second.getByRole('button', { name: 'Cancel' }).click();
    await expect(second.getByRole('heading', { name: 'Request cancelled' })).toBeVisible();
    await expectNoSeriousViolations(second);
  } finally {
    await second.close();
  }
});

test('the greeter: six users, the language picker, a power confirmation, Details (German)', async ({ page, openScreen, keepScreenshot }) => {
  await openScreen({
    mode: 'login',
    service: matrixStack(),
    config: {
      locale: 'de_DE.UTF-8',
      users: { source: 'list', users: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((name) => ({ name, displayName: name.toUpperCase() })) },
      login: { sessions: [{ id: 'gnome', name: 'GNOME', argv: ['/bin/true'] }, { id: 'xterm', name: 'Xterm', argv: ['/bin/true'] }] },
      power: { allowed: ['poweroff', 'reboot'], commands: { poweroff: ['/bin/true'], reboot: ['/bin/false'] } },
    },
  });
  await expect(page.getByRole('button', { name: /ALICE/ })).toBeFocused();
  await expectNoSeriousViolations(page);
  await page.getByRole('button', { name: 'Neu starten' }).click();
  await expect(page.getByRole('alertdialog', { name: 'Den Computer jetzt neu starten?' })).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.getByRole('alertdialog').getByRole('button', { name: 'Neu starten' }).click();
  await expect(alerts(page)).toContainText('Der Computer konnte nicht neu gestartet werden.');
  await page.locator('details summary').click();
  await keepScreenshot('greeter-german');
  await expectNoSeriousViolations(page);
});

test('a second step with Show pressed, and the on-screen keyboard with two layouts', async ({ page, openScreen }) => {
  await openScreen({
    mode: 'unlock',
    user: 'alice',
    config: { keyboardLayouts: ['de', 'us'] },
    service: scriptStack({ auth: 'msg echo-off "Password: "\nsend\nmsg echo-off "Verification code: "\nsend' }),
  });
  await answer(page, 'Password:', 'anything');
  await expect(prompt(page, 'Verification code:')).toBeFocused();
  await page.getByRole('button', { name: /^Show what you typed/ }).click();
  await page.getByRole('button', { name: 'Show the on-screen keyboard' }).click();
  await expect(page.getByRole('button', { name: /^Keyboard layout: German/ })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test('the lock screen with a full name and the password change asked again (demo stack)', async ({ page, openScreen }) => {
  await openScreen(demoServe(demoStack(), 'unlock', 'bob'));
  await expect(page.getByRole('heading', { level: 1, name: 'Bob Ross' })).toBeVisible();
  await expectNoSeriousViolations(page);
  await answer(page, 'Password:', 'bob-demo');
  await answer(page, 'Old password:', 'not-bobs');
  await expect(alerts(page)).toContainText('Your password was not changed yet. Try again.');
  await expectNoSeriousViolations(page);
});
