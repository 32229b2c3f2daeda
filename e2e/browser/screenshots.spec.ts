// Every kind of screen at a 1024×600 kiosk, a 1366×768 laptop and a 1366×768
// laptop at 200 % zoom (683×384 CSS pixels, drawn at twice the density),
// compared with the stored pictures in __screenshots__/. Deterministic: a fixed
// clock and time zone, DejaVu fonts only (support/fonts.conf), no animation, no
// caret. After an intended change of the look: `npx playwright test -c
// e2e/playwright.config.ts screenshots --update-snapshots`, then look at the
// pictures before committing them.
import type { Browser, Page } from '@playwright/test';
import { scriptStack } from '../../lab/stacks';
import { expect, test } from '../support/fixtures';
import { MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { alerts, answer, prompt } from '../support/screen';
import type { ServeSetup } from '../support/serve';

/** Saturday 14 March 2026, 09:26 UTC. */
const FIXED_TIME = new Date('2026-03-14T09:26:00Z');

const SIZES = [
  { name: '1024x600', viewport: { width: 1024, height: 600 }, deviceScaleFactor: 1 },
  { name: '1366x768', viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 },
  { name: '1366x768-zoom200', viewport: { width: 683, height: 384 }, deviceScaleFactor: 2 },
] as const;

interface Scenario {
  name: string;
  setup: ServeSetup;
  /** Brings the page to the screen to take (the same steps on every size). */
  reach(page: Page): Promise<void>;
}

const SIX_USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((name) => ({
  name,
  displayName: `${name[0]!.toUpperCase()}${name.slice(1)} Example`,
}));

const SCENARIOS: Scenario[] = [
  {
    name: 'greeter',
    setup: {
      mode: 'login',
      service: matrixStack(),
      config: {
        theme: 'light',
        users: { source: 'list', users: SIX_USERS },
        login: { sessions: [{ id: 'gnome', name: 'GNOME', argv: ['/bin/true'] }, { id: 'xterm', name: 'Xterm', argv: ['/bin/true'] }] },
        power: { allowed: ['poweroff', 'reboot'], commands: { poweroff: ['/bin/true'], reboot: ['/bin/true'] } },
      },
    },
    reach: async (page) => {
      await expect(page.getByRole('button', { name: /Alice Example/ })).toBeFocused();
    },
  },
  {
    name: 'unlock-failed',
    // No delay after the failure (neither the module's nor the engine's minimum):
    // under the page's fixed clock a countdown would never end.
    setup: {
      mode: 'unlock',
      service: matrixStack({ failDelayUs: 0 }),
      user: MATRIX_USER,
      config: { users: { source: 'list', users: [{ name: MATRIX_USER, displayName: 'Alice Liddell' }] }, lockout: { minFailDelayMs: 0 } },
    },
    reach: async (page) => {
      await answer(page, 'Password:', 'wrong');
      await expect(alerts(page)).toContainText('Authentication failed');
      await expect(prompt(page, 'Password:')).toBeFocused();
    },
  },
  {
    name: 'unlock-keyboard',
    setup: { mode: 'unlock', service: matrixStack(), user: MATRIX_USER },
    reach: async (page) => {
      await expect(prompt(page, 'Password:')).toBeFocused();
      await page.getByRole('button', { name: 'Show the on-screen keyboard' }).click();
      await expect(page.getByRole('group', { name: 'On-screen keyboard' })).toBeVisible();
    },
  },
  {
    name: 'elevate',
    setup: { mode: 'elevate', service: matrixStack(), user: MATRIX_USER, config: { theme: 'high-contrast' } },
    reach: async (page) => {
      await expect(prompt(page, 'Password:')).toBeFocused();
    },
  },
  {
    name: 'password-change',
    setup: {
      mode: 'unlock',
      user: 'alice',
      service: scriptStack({
        auth: 'msg echo-off "Password: "\nsend',
        account: 'msg error "You are required to change your password immediately (administrator enforced)."\nsend\nreturn new_authtok_reqd',
        chauthtok: 'msg echo-off "New password: "\nsend\nmsg error "Sorry, passwords do not match."\nmsg echo-off "New password: "\nmsg echo-off "Retype new password: "\nsend',
      }),
    },
    reach: async (page) => {
      await answer(page, 'Password:', 'anything');
      await answer(page, 'New password:', 'first');
      await expect(alerts(page)).toContainText('The two new passwords were not the same.');
      await expect(prompt(page, 'New password:')).toBeFocused();
    },
  },
];

async function pageAt(browser: Browser, size: (typeof SIZES)[number]): Promise<Page> {
  const context = await browser.newContext({
    viewport: size.viewport,
    deviceScaleFactor: size.deviceScaleFactor,
    timezoneId: 'UTC',
    locale: 'en-US',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(FIXED_TIME);
  return page;
}

// Three serves and three browser contexts per scenario.
test.describe.configure({ timeout: 150_000 });

for (const scenario of SCENARIOS) {
  test(`${scenario.name} at 1024×600, 1366×768 and 200 % zoom`, async ({ browser, openScreen }) => {
    for (const size of SIZES) {
      const page = await pageAt(browser, size);
      try {
        // A fresh serve for each size: every picture starts from the same state.
        await openScreen(scenario.setup, page);
        await scenario.reach(page);
        await expect(page).toHaveScreenshot(`${scenario.name}-${size.name}.png`, {
          scale: size.deviceScaleFactor === 1 ? 'css' : 'device',
          // Everything, also what a zoomed page has below the fold.
          fullPage: true,
        });
      } finally {
        await page.context().close();
      }
    }
  });
}
