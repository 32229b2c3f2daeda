// Power off and Restart ask first: one click opens "Power off the computer now?",
// Cancel (focused) and Escape leave everything as it was; the engine runs the
// command only after the second click. An old failure goes away with the next request.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../lab/tmp';
import { expect, test } from '../support/fixtures';
import { matrixStack } from '../support/matrix-stack';
import { alerts } from '../support/screen';

function powerConfig(marker: string) {
  return {
    login: { sessions: [{ id: 'shell', name: 'Shell', argv: ['/bin/true'] }] },
    power: {
      allowed: ['poweroff', 'reboot'],
      commands: { poweroff: ['/usr/bin/touch', marker], reboot: ['/bin/false'] },
    },
  };
}

test('Power off asks first; Cancel and Escape keep the computer on', async ({ page, openScreen, keepScreenshot }) => {
  const marker = join(makeTempDir('gatehouse-e2e-power-'), 'powered-off');
  await openScreen({ mode: 'login', service: matrixStack(), config: powerConfig(marker) });
  const powerOff = page.getByRole('group', { name: 'Power' }).getByRole('button', { name: 'Power off' });
  await powerOff.click();
  const dialog = page.getByRole('alertdialog', { name: 'Power off the computer now?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await keepScreenshot('confirm');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(powerOff).toBeFocused();

  await powerOff.click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  // Nothing ran.
  await page.waitForTimeout(300);
  expect(existsSync(marker)).toBe(false);

  await powerOff.click();
  await dialog.getByRole('button', { name: 'Power off' }).click();
  await expect.poll(() => existsSync(marker)).toBe(true);
});

test('a failed Restart is said in plain words and cleared by the next request', async ({ page, openScreen }) => {
  const marker = join(makeTempDir('gatehouse-e2e-power-'), 'powered-off');
  await openScreen({ mode: 'login', service: matrixStack(), config: powerConfig(marker) });
  const power = page.getByRole('group', { name: 'Power' });
  await power.getByRole('button', { name: 'Restart' }).click();
  await page.getByRole('alertdialog', { name: 'Restart the computer now?' }).getByRole('button', { name: 'Restart' }).click();
  await expect(alerts(page)).toContainText('The computer could not be restarted.');
  await expect(alerts(page)).not.toContainText('request failed');

  await power.getByRole('button', { name: 'Power off' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Power off' }).click();
  await expect.poll(() => existsSync(marker)).toBe(true);
  await expect(alerts(page)).not.toContainText('could not be restarted');
});
