// End-to-end suites: Debian's Chromium (never a downloaded browser), headless,
// driving the real `gatehouse serve` on real PAM stacks. Run by `npm test`
// through scripts/with-etc-overlay.sh, so that as root the suites that need test
// users (pam_unix, pam_faillock, OTP) run in a throw-away /etc.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

export default defineConfig({
  testDir: './browser',
  testMatch: '*.spec.ts',
  outputDir: '../test-results/e2e-browser',
  globalSetup: './global-setup.ts',
  // Each test starts its own serve (one engine, one PAM stack); two at a time fit
  // the CI machine's two cores, and the fail delays overlap.
  workers: 2,
  fullyParallel: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: true,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    viewport: { width: 1024, height: 768 },
    locale: 'en-US',
    // On failure: a screenshot, the page's aria snapshot and serve's output (support/fixtures.ts).
    screenshot: 'only-on-failure',
    trace: 'off',
    actionTimeout: 10_000,
  },
});
