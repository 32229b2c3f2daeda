// Every screen size from a 1024×600 kiosk to 200 % zoom: at 1366×768 every control
// is on screen without scrolling (the greeter with six users, two sessions, power
// actions and an error; the lock screen with an error and the on-screen keyboard),
// the user list scrolls inside itself, and the card does not jump when a message
// appears. At 200 % zoom the page may scroll down, never sideways.
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { pageGeometry } from '../support/geometry';
import { MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { alerts, answer, prompt } from '../support/screen';

const SIX_USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((name) => ({ name, displayName: `${name[0]!.toUpperCase()}${name.slice(1)} Example` }));
const GREETER = {
  users: { source: 'list', users: SIX_USERS },
  login: { sessions: [{ id: 'gnome', name: 'GNOME', argv: ['/bin/true'] }, { id: 'xterm', name: 'Xterm', argv: ['/bin/true'] }] },
  // Restart fails: an error to show on the greeter.
  power: { allowed: ['poweroff', 'reboot', 'suspend'], commands: { poweroff: ['/bin/true'], reboot: ['/bin/false'], suspend: ['/bin/true'] } },
};

async function expectAllOnScreen(page: Page): Promise<void> {
  const geometry = await pageGeometry(page);
  expect(geometry.offScreen, JSON.stringify(geometry.viewport)).toEqual([]);
  expect(geometry.pageScrolls).toEqual({ vertical: false, horizontal: false });
}

test('1366×768 greeter: six users, two sessions, power actions and an error, all on screen; the list scrolls inside itself', async ({ page, openScreen, keepScreenshot }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openScreen({ mode: 'login', service: matrixStack(), config: GREETER });
  await expect(page.getByRole('button', { name: /Alice Example/ })).toBeFocused();
  await page.getByRole('button', { name: 'Restart' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Restart' }).click();
  await expect(alerts(page)).toContainText('The computer could not be restarted.');
  await expect(page.getByLabel('Session')).toBeVisible();
  await expectAllOnScreen(page);
  const list = page.getByRole('list').first();
  const scrolls = await list.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
  expect(scrolls).toBe(true);
  // The last user is reached by scrolling the list, not the page.
  await page.getByRole('button', { name: /Frank Example/ }).focus();
  await expect(page.getByRole('button', { name: /Frank Example/ })).toBeInViewport();
  await expectAllOnScreen(page);
  await keepScreenshot('greeter-1366');
});

test('1366×768 lock screen with an error and the on-screen keyboard: every key on screen', async ({ page, openScreen, keepScreenshot }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openScreen({ mode: 'unlock', service: matrixStack({ failDelayUs: 100_000 }), user: MATRIX_USER });
  await answer(page, 'Password:', 'wrong');
  await expect(alerts(page)).toContainText('Authentication failed');
  await page.getByRole('button', { name: 'Show the on-screen keyboard' }).click();
  const keyboard = page.getByRole('group', { name: 'On-screen keyboard' });
  await expect(keyboard.getByRole('button', { name: 'Enter' })).toBeVisible();
  await expect(prompt(page, 'Password:')).toBeFocused({ timeout: 5_000 });
  await expectAllOnScreen(page);
  await keepScreenshot('keyboard-1366');
});

test('1024×600 and 4K: the greeter and the lock screen fit without scrolling', async ({ page, openScreen }) => {
  await page.setViewportSize({ width: 3840, height: 2160 });
  await openScreen({ mode: 'login', service: matrixStack(), config: GREETER });
  await expect(page.getByRole('button', { name: /Alice Example/ })).toBeFocused();
  await expectAllOnScreen(page);
  // On a tall screen the whole list is there, nothing to scroll.
  expect(await page.getByRole('list').first().evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
  await page.setViewportSize({ width: 1024, height: 600 });
  await expectAllOnScreen(page);
  await page.getByRole('button', { name: /Bob Example/ }).click();
  await expect(prompt(page, 'Password:')).toBeFocused();
  await expectAllOnScreen(page);
});

test('200 % zoom: nothing sideways, every control reachable by scrolling down', async ({ browser, openScreen }) => {
  // A 1366×768 screen at 200 %: 683×384 CSS pixels.
  const context = await browser.newContext({ viewport: { width: 683, height: 384 }, deviceScaleFactor: 2 });
  try {
    const page = await context.newPage();
    await openScreen({ mode: 'login', service: matrixStack(), config: GREETER }, page);
    await expect(page.getByRole('button', { name: /Alice Example/ })).toBeFocused();
    const geometry = await pageGeometry(page);
    expect(geometry.pageScrolls.horizontal).toBe(false);
    for (const off of geometry.offScreen) {
      expect(off.box.x, off.control).toBeGreaterThanOrEqual(0);
      expect(off.box.x + off.box.width, off.control).toBeLessThanOrEqual(geometry.viewport.width + 0.5);
    }
    const next = page.getByRole('button', { name: 'Next' });
    await next.scrollIntoViewIfNeeded();
    await expect(next).toBeInViewport();
    await expect(page.getByRole('button', { name: 'Power off' })).toBeVisible();
  } finally {
    await context.close();
  }
});

test('the card does not jump when a message appears', async ({ page, openScreen }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openScreen({ mode: 'unlock', service: matrixStack({ failDelayUs: 100_000 }), user: MATRIX_USER });
  await expect(prompt(page, 'Password:')).toBeFocused();
  const before = await page.getByRole('heading', { level: 1 }).boundingBox();
  await answer(page, 'Password:', 'wrong');
  await expect(alerts(page)).toContainText('Authentication failed');
  const after = await page.getByRole('heading', { level: 1 }).boundingBox();
  expect(after?.y).toBe(before?.y);
});
