// The page's safety in a real browser: the CSP holds (nothing refused, nothing
// loaded from elsewhere), module text is text (never markup), answer fields are
// not remembered or corrected by the browser, and an answer leaves the page once sent.
import type { Page } from '@playwright/test';
import { scriptStack } from '../../lab/stacks';
import { expect, test } from '../support/fixtures';
import { MATRIX_PASSWORD, MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { alerts, answer, prompt, status } from '../support/screen';

/** Console errors (a CSP refusal is one) and requests, from before the page loads. */
function watch(page: Page): { errors: string[]; requests: string[] } {
  const seen = { errors: [] as string[], requests: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('request', (request) => seen.requests.push(request.url()));
  return seen;
}

test('the CSP holds: no refusal, no inline code, nothing from another origin', async ({ page, openScreen }) => {
  const seen = watch(page);
  const responses: Array<Record<string, string>> = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'document') responses.push(response.headers());
  });
  const serve = await openScreen({ mode: 'unlock', service: matrixStack(), user: MATRIX_USER });
  await answer(page, 'Password:', MATRIX_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();

  const policy = responses[0]?.['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("style-src 'self'");
  expect(policy).not.toContain('unsafe');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toContain("script-src 'self'");
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(await page.locator('style, [style]').count()).toBe(0);

  const origin = new URL(serve.url).origin;
  const foreign = seen.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith(`ws://${new URL(serve.url).host}/`) && !url.startsWith('data:'));
  expect(foreign).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('module text with markup is shown as text', async ({ page, openScreen, keepScreenshot }) => {
  const seen = watch(page);
  await openScreen({
    mode: 'unlock',
    user: 'alice',
    service: scriptStack({
      auth: `
        msg info "<img src=x onerror=document.title='owned'> <b>bold</b>"
        msg error "<script>document.title='owned'</script>\\nsecond line"
        msg echo-off "<i>Password</i>: "
        send
      `,
    }),
  });
  await expect(status(page)).toContainText("<img src=x onerror=document.title='owned'> <b>bold</b>");
  await expect(alerts(page)).toContainText("<script>document.title='owned'</script>");
  await expect(alerts(page)).toContainText('second line');
  await expect(prompt(page, '<i>Password</i>:')).toBeFocused();
  expect(await page.locator('main img, main b, main i, main script').count()).toBe(0);
  await expect(page).not.toHaveTitle('owned');
  await keepScreenshot('markup-as-text');
  expect(seen.errors).toEqual([]);
});

test('answer fields: no autocomplete, spellcheck or capitalisation, and emptied once sent', async ({ page, openScreen }) => {
  await openScreen({ mode: 'unlock', service: matrixStack({ failDelayUs: 3_000_000 }), user: MATRIX_USER });
  const password = prompt(page, 'Password:');
  await expect(password).toBeFocused();
  await expect(password).toHaveAttribute('type', 'password');
  await expect(password).toHaveAttribute('autocomplete', 'off');
  await expect(password).toHaveAttribute('spellcheck', 'false');
  await expect(password).toHaveAttribute('autocapitalize', 'off');
  await expect(password).toHaveAttribute('autocorrect', 'off');

  const secret = 'Never-Kept-Anywhere-7';
  await password.fill(secret);
  await password.press('Enter');
  await expect(alerts(page)).toContainText('Authentication failed');
  // The form that stays during the delay is empty, and the secret is nowhere in the page.
  await expect(password).toHaveValue('');
  for (const input of await page.locator('input').all()) expect(await input.inputValue()).not.toContain(secret);
  expect(await page.content()).not.toContain(secret);
});
