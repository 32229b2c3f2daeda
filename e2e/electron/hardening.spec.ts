// What the conversation page can and cannot do in the real Electron: only
// window.gatehouse, no Node, no navigation, no new windows, no permissions, no
// network; its CSP comes with the response; closing the window is refused.
import { conversation, expect, requireElectron, test, type PageGlobals } from './support';

requireElectron();

test('the page gets window.gatehouse and nothing else', async ({ launch }) => {
  const { app } = await launch(['--mode', 'unlock', '--user', 'alice']);
  const page = await conversation(app);
  expect(
    await page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      return {
        bridge: Object.keys(page.gatehouse ?? {}).sort(),
        require: typeof page.require,
        process: typeof page.process,
        isSecureContext: page.isSecureContext,
        origin: page.location.origin,
      };
    }),
  ).toEqual({ bridge: ['protocolVersion', 'send', 'subscribe'], require: 'undefined', process: 'undefined', isSecureContext: true, origin: 'app://gatehouse' });
});

test('no navigation, no new windows, no permissions, no network', async ({ launch }) => {
  const { app } = await launch(['--mode', 'unlock', '--user', 'alice']);
  const page = await conversation(app);
  const windowsBefore = app.windows().length;

  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.org/') === null)).toBe(true);
  await page.evaluate(() => {
    (globalThis as unknown as PageGlobals).location.href = 'app://shell/cover.html';
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(page.url()).toMatch(/^app:\/\/gatehouse\//);
  expect(app.windows().length).toBe(windowsBefore);

  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).Notification.requestPermission())).toBe('denied');
  expect(
    await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).navigator.mediaDevices.getUserMedia({ audio: true }).then(
        () => 'granted',
        () => 'refused',
      ),
    ),
  ).toBe('refused');
  expect(
    await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).fetch('app://gatehouse/index.html').then(
        () => 'fetched',
        () => 'blocked',
      ),
    ),
  ).toBe('blocked');
});

test('app:// responses carry the CSP and nosniff', async ({ launch }) => {
  const { app } = await launch(['--mode', 'unlock', '--user', 'alice']);
  await conversation(app);
  const headers = await app.evaluate(async ({ session }) => {
    const response = await session.fromPartition('gatehouse-shell').fetch('app://gatehouse/index.html');
    return { csp: response.headers.get('content-security-policy'), nosniff: response.headers.get('x-content-type-options') };
  });
  expect(headers.csp).toContain("default-src 'none'");
  expect(headers.csp).toContain("connect-src 'none'");
  expect(headers.nosniff).toBe('nosniff');
});

test('closing the lock screen is refused', async ({ launch }) => {
  const { app } = await launch(['--mode', 'unlock', '--user', 'alice']);
  await conversation(app);
  const count = await app.evaluate(({ BrowserWindow }) => {
    for (const window of BrowserWindow.getAllWindows()) window.close();
    return BrowserWindow.getAllWindows().length;
  });
  expect(count).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(app.process().exitCode).toBeNull();
});
