// The on-screen keyboard follows the system's keyboard layouts: here Debian's
// /etc/default/keyboard (in the test run's /etc overlay) set to German and US
// English, as keyboard-configuration writes it. The indicator says which layout
// the keys show; the switch goes to the next.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { requireTestUsers } from '../support/etc-overlay';
import { expect, test } from '../support/fixtures';
import { MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { prompt } from '../support/screen';

const KEYBOARD_FILE = '/etc/default/keyboard';

test.describe('the system\'s layouts', () => {
  requireTestUsers('the keyboard layouts of /etc/default/keyboard (written in the /etc overlay)');

  test('German and US from /etc/default/keyboard: QWERTZ with umlauts first, then US', async ({ page, openScreen, keepScreenshot }) => {
    const before = existsSync(KEYBOARD_FILE) ? readFileSync(KEYBOARD_FILE) : undefined;
    writeFileSync(KEYBOARD_FILE, 'XKBMODEL="pc105"\nXKBLAYOUT="de,us"\nXKBVARIANT="nodeadkeys,"\nXKBOPTIONS="grp:alt_shift_toggle"\n');
    try {
      const password = 'Grüße-zu-Hause';
      await openScreen({
        mode: 'unlock',
        service: matrixStack({ password }),
        user: MATRIX_USER,
        // The suite's config pins US; this test takes the system's (no X server here: the file).
        config: { keyboardLayouts: undefined },
        env: { DISPLAY: '' },
      });
      await expect(prompt(page, 'Password:')).toBeFocused();
      await page.getByRole('button', { name: 'Show the on-screen keyboard' }).click();
      const keyboard = page.getByRole('group', { name: 'On-screen keyboard' });
      const rows = keyboard.locator('.osk-row');
      await expect(rows.nth(1)).toHaveText(/^qwertzuiopü$/);
      await expect(keyboard.getByRole('button', { name: 'ß', exact: true })).toBeVisible();
      const indicator = page.getByRole('button', { name: 'Keyboard layout: German. Switch to American English' });
      await expect(indicator).toHaveText('DE');
      await keepScreenshot('german');

      // Typed on the German keys, with Shift and the symbol layer for the hyphens.
      const tap = (name: string) => keyboard.getByRole('button', { name, exact: true }).click();
      for (const char of password) {
        if (char === '-') {
          await tap('Symbols');
          await tap('-');
          await tap('Letters');
        } else if (char !== char.toLowerCase()) {
          await tap('Shift');
          await tap(char);
        } else {
          await tap(char);
        }
      }
      await expect(prompt(page, 'Password:')).toHaveValue(password);

      await indicator.click();
      await expect(rows.nth(1)).toHaveText(/^qwertyuiop$/);
      await expect(keyboard.getByRole('button', { name: 'ü', exact: true })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Keyboard layout: American English. Switch to German' })).toHaveText('US');
      // The field kept its focus through every tap.
      await expect(prompt(page, 'Password:')).toBeFocused();
      await tap('Enter');
      await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
    } finally {
      if (before === undefined) rmSync(KEYBOARD_FILE, { force: true });
      else writeFileSync(KEYBOARD_FILE, before);
    }
  });
});
