// How the specs look at and act on the Gatehouse page, the way a person (and a
// screen reader) does: by accessible names and roles, never by CSS classes.
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/** The input of the PAM prompt `text` (its accessible name is the prompt text). */
export function prompt(page: Page, text: string): Locator {
  return page.getByLabel(text.trim(), { exact: true });
}

/** Waits for the prompt to have focus, types `value` and presses Enter. */
export async function answer(page: Page, text: string, value: string): Promise<void> {
  const input = prompt(page, text);
  await expect(input).toBeFocused();
  await input.fill(value);
  await input.press('Enter');
}

export const alerts = (page: Page): Locator => page.getByRole('alert');
export const status = (page: Page): Locator => page.getByRole('status');
export const countdown = (page: Page): Locator => page.getByRole('timer');
