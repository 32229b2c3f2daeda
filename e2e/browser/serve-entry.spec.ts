// How Chromium gets into `gatehouse serve`: the one-time entry URL is spent for
// an HttpOnly, SameSite=Strict session cookie and the page lands on a clean
// address; neither the ticket nor the cookie is on any process's command line,
// the cookie never in the browser's history, and the spent URL opens nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { makeTempDir } from '../../lab/tmp';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';
import { expect, test } from '../support/fixtures';
import { MATRIX_PASSWORD, MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { answer, prompt } from '../support/screen';
import { startServe } from '../support/serve';

/** Every process's command line that contains `needle`. */
function commandLinesWith(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    } catch {
      continue; // gone meanwhile
    }
    if (cmdline.includes(needle)) found.push(`${pid}: ${cmdline.replaceAll('\0', ' ').slice(0, 120)}`);
  }
  return found;
}

test('the entry URL is spent for an HttpOnly cookie; the page lands on a clean address; no secret on a command line', async ({
  page,
  browser,
  openScreen,
}) => {
  const serve = await openScreen({ mode: 'unlock', service: matrixStack(), user: MATRIX_USER });
  const entry = new URL(serve.url);
  const ticket = entry.searchParams.get('ticket') ?? '';
  expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await expect(prompt(page, 'Password:')).toBeFocused();

  // The address bar and the page hold no secret; the cookie is out of the page's reach.
  expect(page.url()).toBe(`${entry.origin}/`);
  expect(await page.evaluate('document.cookie')).toBe('');
  const session = (await page.context().cookies()).find((c) => c.name === `gatehouse-${entry.port}`);
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', domain: '127.0.0.1' });
  expect(session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(session?.value).not.toBe(ticket);

  // Not on any command line: Chromium's processes, serve's, anyone's.
  expect(commandLinesWith(ticket)).toEqual([]);
  expect(commandLinesWith(session!.value)).toEqual([]);

  // Spent: another browser (context) opening the same URL gets nothing.
  const other = await browser.newContext();
  try {
    const response = await (await other.newPage()).goto(serve.url);
    expect(response?.status()).toBe(403);
  } finally {
    await other.close();
  }

  // And the page works: the flow runs over the cookie's WebSocket.
  await answer(page, 'Password:', MATRIX_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Unlocked' })).toBeVisible();
  expect((await serve.waitForOutcomes(1))[0]).toMatchObject({ ok: true });
});

test('the session cookie never reaches the browser history; a reload stays in', async () => {
  const serve = await startServe({ mode: 'unlock', service: matrixStack(), user: MATRIX_USER });
  const profile = makeTempDir('gatehouse-e2e-profile-');
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(serve.url);
    await expect(prompt(page, 'Password:')).toBeFocused();
    const entry = new URL(serve.url);
    const session = (await context.cookies()).find((c) => c.name === `gatehouse-${entry.port}`)!;
    // A reload is let in by the cookie alone.
    await page.reload();
    await expect(prompt(page, 'Password:')).toBeFocused();
    expect(page.url()).toBe(`${entry.origin}/`);
    await context.close();
    // History and the session files hold at most the spent entry URL, never the cookie.
    for (const name of ['History', 'Current Session', 'Last Session', 'Visited Links']) {
      for (const file of [join(profile, 'Default', name), join(profile, name)]) {
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch {
          continue;
        }
        expect(bytes.includes(session.value), file).toBe(false);
      }
    }
  } finally {
    await context.close().catch(() => undefined);
    await serve.stop();
  }
});
