// Who is asked: the lock screen and the privilege prompt show the person's full
// name (the configured display name, else the passwd entry's) and picture
// (AccountsService's icon or ~/.face, read and checked by the engine; the page
// gets a data: URL, never a path), with the login name beside.
import { chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discPng } from '../../lab/pictures';
import { homeOf, USERS } from '../../lab/users';
import { unixStack } from '../../lab/stacks';
import { requireTestUsers } from '../support/etc-overlay';
import { expect, test } from '../support/fixtures';
import { MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { prompt } from '../support/screen';

const LISTED = { users: { source: 'list', users: [{ name: MATRIX_USER, displayName: 'Alice Liddell' }] } };

test('lock screen and prompt: the display name, with the login name beside it', async ({ page, context, openScreen, keepScreenshot }) => {
  await openScreen({ mode: 'unlock', service: matrixStack(), user: MATRIX_USER, config: LISTED });
  await expect(page.getByRole('heading', { level: 1, name: 'Alice Liddell' })).toBeVisible();
  await expect(page.locator('main').getByText(MATRIX_USER, { exact: true })).toBeVisible();
  await expect(prompt(page, 'Password:')).toBeFocused();
  await keepScreenshot('unlock');

  const second = await context.newPage();
  try {
    await openScreen({ mode: 'elevate', service: matrixStack(), user: MATRIX_USER, config: LISTED }, second);
    await expect(second.getByText(`Confirm as Alice Liddell (${MATRIX_USER})`)).toBeVisible();
  } finally {
    await second.close();
  }
});

test.describe('pictures', () => {
  requireTestUsers('account pictures from ~/.face');

  test('~/.face on the lock screen and the prompt; the full name from passwd', async ({ page, context, openScreen, keepScreenshot }) => {
    const user = USERS.e2e;
    const face = join(homeOf(user, process.env.GATEHOUSE_LAB_HOMES ?? ''), '.face');
    writeFileSync(face, discPng([30, 120, 200]));
    chownSync(face, user.uid, user.uid);

    await openScreen({ mode: 'unlock', service: unixStack(), user: user.name });
    await expect(page.getByRole('heading', { level: 1, name: `gatehouse test ${user.name}` })).toBeVisible();
    const picture = page.locator('main img.avatar-picture');
    await expect(picture).toBeVisible();
    expect(await picture.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expect(picture).toHaveJSProperty('naturalWidth', 48);
    await keepScreenshot('unlock-picture');

    const second = await context.newPage();
    try {
      await openScreen({ mode: 'elevate', service: unixStack(), user: user.name }, second);
      await expect(second.getByText(`Confirm as gatehouse test ${user.name} (${user.name})`)).toBeVisible();
      await expect(second.locator('main img.avatar-picture')).toBeVisible();
    } finally {
      await second.close();
    }
  });
});
