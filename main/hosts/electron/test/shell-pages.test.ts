// The pages the shell serves, under the exact headers app:// sends, in Debian's
// Chromium: the cover and emergency pages render, and the built UI loads its
// scripts and styles, without one Content-Security-Policy violation. (Served over
// a loopback HTTP server that answers with assetResponse: Chromium outside
// Electron has no app: scheme.)
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../lab/paths';
import { SHELL_HOST, UI_HOST } from '../app-origin';
import { assetResponse } from '../asset-response';

const CHROMIUM = '/usr/bin/chromium';
const roots = {
  [UI_HOST]: join(REPO_ROOT, 'dist', 'renderer'),
  [SHELL_HOST]: join(REPO_ROOT, 'main', 'hosts', 'electron', 'pages'),
};
const unavailable = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is not installed (apt package chromium)`
  : !existsSync(join(roots[UI_HOST], 'index.html'))
    ? 'dist/renderer is not built (npm run build)'
    : undefined;
if (unavailable !== undefined) console.warn(`SKIP the shell pages in Chromium: ${unavailable}`);

/** One server per app:// host, answering exactly as the protocol handler does. */
function serve(host: string): Promise<Server> {
  const server = createServer((request, response) => {
    const { status, headers, body } = assetResponse(`app://${host}${request.url ?? '/'}`, request.method ?? 'GET', roots);
    response.writeHead(status, headers);
    response.end(body === undefined ? undefined : Buffer.from(body));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const url = (server: Server, path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

describe.skipIf(unavailable !== undefined)(`the shell's pages in Chromium${unavailable === undefined ? '' : ` [skipped: ${unavailable}]`}`, () => {
  let browser: Browser;
  let shell: Server;
  let ui: Server;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    [shell, ui] = await Promise.all([serve(SHELL_HOST), serve(UI_HOST)]);
  });

  afterAll(async () => {
    await browser?.close();
    shell?.close();
    ui?.close();
  });

  /** Opens a page and collects what Chromium reports about it. */
  async function open(address: string, init?: string) {
    const page: Page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    if (init !== undefined) await page.addInitScript(init);
    await page.goto(address);
    return { page, problems };
  }

  it('the cover shows a clock and the date', async () => {
    const { page, problems } = await open(url(shell, '/cover.html'));
    await expect.poll(() => page.locator('[data-clock="time"]').textContent()).toMatch(/\d/);
    expect(await page.locator('[data-clock="date"]').textContent()).toMatch(/\d/);
    expect(await page.getByText('Locked').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the emergency page says that nothing is unlocked and how to get back in', async () => {
    const { page, problems } = await open(url(shell, '/emergency.html'));
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toContain('Nothing is unlocked');
    expect(await alert.textContent()).toContain('text console');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the UI loads under the CSP and says hello over window.gatehouse', async () => {
    // What the preload provides, recording what the UI sends.
    const bridge = `
      window.__sent = [];
      window.gatehouse = Object.freeze({
        protocolVersion: 1,
        send: (request) => window.__sent.push(request),
        subscribe: () => () => {},
      });`;
    const { page, problems } = await open(url(ui, '/index.html'), bridge);
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { __sent: { type: string }[] }).__sent.map((r) => r.type))).toContain('hello');
    expect(problems).toEqual([]);
    await page.close();
  });
});
