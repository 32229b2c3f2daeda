// Login without root: the engine daemon (`gatehouse engine`) as root does PAM
// and starts the session; `gatehouse serve --engine` runs as the greeter's user;
// Debian's Chromium runs as that user too, with its sandbox on. A user logs in;
// the screen offers the sessions installed (desktop entries in XDG_DATA_DIRS),
// and the X11 one chosen there starts on an X server of its own (Xvfb).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { makeTempDir } from '../../lab/tmp';
import { descendantsOf, uidOf } from '../../lab/processes';
import { unixStack } from '../../lab/stacks';
import { PASSWORD, USERS } from '../../lab/users';
import { CHROMIUM_ARGS } from '../chromium';
import { SCREENSHOT_DIR } from '../support/artifacts';
import { chromiumAs, startEngineDaemon } from '../support/engine-daemon';
import { etcOverlayStatus } from '../../lab/etc-overlay';
import { answer } from '../support/screen';
import { startServeOnEngine } from '../support/serve';

const GREETER = { uid: USERS.greeter.uid, gid: USERS.greeter.uid };
const USER = USERS.daemonE2e;
/** Passed to Chromium only to find its process among the test runner's. */
const MARKER = '--gatehouse-e2e-greeter-browser';

/** A picture of the scenario, kept as the other specs keep theirs. */
async function keepScreenshot(page: Page, step: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `engine-daemon--login-without-root--${step}.png`), fullPage: true });
}

/** Debian's Chromium as the greeter's user, its sandbox on. */
function launchGreeterBrowser() {
  return chromium.launch({
    executablePath: chromiumAs(GREETER),
    args: [...CHROMIUM_ARGS.filter((arg) => arg !== '--no-sandbox'), MARKER],
    chromiumSandbox: true,
    headless: true,
  });
}

// This spec launches its own browser (as the greeter user), so it uses
// Playwright's plain test(): the suite's fixtures would start a root one too.
test.describe('login without root', () => {
  const overlay = etcOverlayStatus();
  if (!overlay.ok) console.warn(`SKIP login without root (engine daemon): ${overlay.reason}`);
  test.skip(!overlay.ok, overlay.ok ? '' : overlay.reason);

  test('a user logs in: the daemon as root, serve and Chromium as the greeter, Chromium sandboxed', async ({}, testInfo) => {
    // Three processes and a browser of their own, on a loaded machine.
    test.setTimeout(180_000);
    const dir = makeTempDir('gatehouse-e2e-probe-');
    const probe = join(dir, 'probe.sh');
    writeFileSync(probe, '#!/bin/sh\necho "gatehouse-probe uid=$(id -u) user=$(id -un)" >&2\n');
    chmodSync(probe, 0o755);
    const daemon = await startEngineDaemon({
      service: unixStack({ failDelayUs: 0 }),
      client: USERS.greeter.name,
      config: {
        theme: 'dark',
        users: { source: 'list', users: [{ name: USER.name, displayName: 'Dana Daemon' }] },
        login: { sessions: [{ id: 'probe', name: 'Probe', argv: [probe] }], sessionType: 'tty' },
        timeouts: { promptMs: 60_000 },
      },
    });
    const serve = await startServeOnEngine(daemon.socketPath, GREETER);
    const browser = await launchGreeterBrowser();
    try {
      expect(uidOf(serve.pid)).toBe(USERS.greeter.uid);
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
      page.setDefaultTimeout(30_000);
      await page.goto(serve.url);
      await page.getByRole('button', { name: /Dana Daemon/ }).click();
      await expect(page.getByRole('heading', { name: `Signing in as ${USER.name}` })).toBeVisible();
      await keepScreenshot(page, 'password');
      await answer(page, 'Password:', PASSWORD);
      const [outcome] = await serve.waitForOutcomes(1);
      expect(outcome).toMatchObject({ mode: 'login', user: USER.name, ok: true, code: 'PAM_SUCCESS' });
      await expect.poll(() => daemon.output()).toContain(`gatehouse-probe uid=${USER.uid} user=${USER.name}`);
      await keepScreenshot(page, 'after-the-session');

      // Every Chromium process — the browser, its zygotes, renderers, utilities — runs as the greeter.
      const browserPid = descendantsOf(process.pid).find((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(MARKER);
        } catch {
          return false;
        }
      });
      expect(browserPid, 'the greeter’s Chromium is running').toBeDefined();
      const processes = [browserPid!, ...descendantsOf(browserPid!)];
      expect(processes.length).toBeGreaterThan(2);
      for (const pid of processes) {
        const uid = uidOf(pid);
        if (uid !== undefined) expect(uid, `Chromium process ${pid}`).toBe(USERS.greeter.uid);
      }
      const sandbox = await browser.newPage();
      await sandbox.goto('chrome://sandbox', { waitUntil: 'domcontentloaded' });
      await expect(sandbox.getByText('You are adequately sandboxed.')).toBeVisible({ timeout: 60_000 });
      expect(daemon.output()).not.toContain(PASSWORD);
      expect(serve.output()).not.toContain(PASSWORD);
    } finally {
      await browser.close();
      await serve.stop();
      await daemon.stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('engine.log', { body: daemon.output(), contentType: 'text/plain' });
        await testInfo.attach('serve.log', { body: serve.output(), contentType: 'text/plain' });
      }
    }
  });
  test('the screen offers the installed sessions; the X11 one starts on an X server of its own', async ({}, testInfo) => {
    test.setTimeout(180_000);
    const dir = makeTempDir('gatehouse-e2e-desktops-');
    const share = join(dir, 'share');
    for (const sub of ['xsessions', 'wayland-sessions']) mkdirSync(join(share, sub), { recursive: true });
    const probe = join(dir, 'x11-probe.sh');
    writeFileSync(
      probe,
      '#!/bin/sh\necho "gatehouse-x11-probe uid=$(id -u) display=$DISPLAY desktop=$XDG_CURRENT_DESKTOP" >&2\n' +
        'if xdpyinfo >/dev/null 2>&1; then echo "gatehouse-x11-probe connected" >&2; fi\n',
    );
    chmodSync(probe, 0o755);
    const entry = (sub: string, id: string, lines: string[]) =>
      writeFileSync(join(share, sub, `${id}.desktop`), ['[Desktop Entry]', ...lines].join('\n') + '\n');
    entry('xsessions', 'ghe2ex11', ['Name=Probe X11', `Exec=${probe}`, 'DesktopNames=GhProbe']);
    entry('wayland-sessions', 'ghe2ewl', ['Name=Probe Wayland', 'Exec=/bin/true', 'TryExec=/bin/true']);
    entry('xsessions', 'ghe2ehidden', ['Name=Hidden Desktop', `Exec=${probe}`, 'Hidden=true']);
    entry('xsessions', 'ghe2emissing', ['Name=Missing Desktop', 'Exec=/usr/bin/no-such-desktop-gh']);
    const daemon = await startEngineDaemon({
      service: unixStack({ failDelayUs: 0 }),
      client: USERS.greeter.name,
      config: {
        users: { source: 'list', users: [{ name: USER.name, displayName: 'Dana Daemon' }] },
        login: { xServer: ['/usr/bin/Xvfb', '-nolisten', 'tcp', '-screen', '0', '640x480x24'] },
        timeouts: { promptMs: 60_000 },
      },
      env: { XDG_DATA_DIRS: share },
    });
    const serve = await startServeOnEngine(daemon.socketPath, GREETER);
    const browser = await launchGreeterBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
      page.setDefaultTimeout(30_000);
      await page.goto(serve.url);
      const chooser = page.getByRole('combobox', { name: 'Session' });
      await expect(chooser.getByRole('option')).toHaveText(['Probe Wayland', 'Probe X11']);
      await chooser.selectOption({ label: 'Probe X11' });
      await keepScreenshot(page, 'installed-sessions');
      await page.getByRole('button', { name: /Dana Daemon/ }).click();
      await answer(page, 'Password:', PASSWORD);
      const [outcome] = await serve.waitForOutcomes(1);
      expect(outcome).toMatchObject({ mode: 'login', user: USER.name, ok: true, code: 'PAM_SUCCESS' });
      await expect.poll(() => daemon.output()).toMatch(new RegExp(`gatehouse-x11-probe uid=${USER.uid} display=:\\d+ desktop=GhProbe`));
      expect(daemon.output()).toContain('gatehouse-x11-probe connected');
      await expect.poll(() => daemon.output()).toContain('"event":"x-server-stopped"');
    } finally {
      await browser.close();
      await serve.stop();
      await daemon.stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('engine.log', { body: daemon.output(), contentType: 'text/plain' });
      }
    }
  });
});
