// How the specs look at and act on the Gatehouse page, the way a person (and a
// screen reader) does: by accessible names and roles, never by CSS classes.
import type { Locator, Page } from '@playwright/test';
import { recordAnswer } from '../../lab/test-logs';
import { expect } from './fixtures';

/** The input of the PAM prompt `text` (its accessible name is the prompt text). */
export function prompt(page: Page, text: string): Locator {
  return page.getByLabel(text.trim(), { exact: true });
}

/** Waits for the prompt to have focus, types `value` and presses Enter. */
export async function answer(page: Page, text: string, value: string): Promise<void> {
  const input = prompt(page, text);
  recordAnswer(value);
  await expect(input).toBeFocused();
  await input.fill(value);
  await input.press('Enter');
}

export const alerts = (page: Page): Locator => page.getByRole('alert');
export const status = (page: Page): Locator => page.getByRole('status');
export const countdown = (page: Page): Locator => page.getByRole('timer');

/**
 * The raw texts behind the plain sentences: opens the Details disclosure (and
 * gives the focus back to where it was, so the conversation goes on).
 */
export async function details(page: Page): Promise<Locator> {
  const disclosure = page.locator('details.details');
  if ((await disclosure.getAttribute('open')) === null) {
    // The page's own code runs in the browser, where `globalThis.document` is the page's.
    const focused = await page.evaluateHandle(() => (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement);
    await disclosure.locator('summary').click();
    await focused.evaluate((element) => (element as { focus?: () => void } | null)?.focus?.());
  }
  return disclosure.getByRole('list');
}

/** The visible text of the alert region (what is said, not what is folded away). */
export async function alertText(page: Page): Promise<string> {
  return (await alerts(page).innerText()).trim();
}
