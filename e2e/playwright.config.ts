// End-to-end suites: Debian's Chromium (never a downloaded browser), headless,
// driving the real `gatehouse serve` on real PAM stacks. Run by `npm test`
// through scripts/with-etc-overlay.sh, so that as root the suites that need test
// users (pam_unix, pam_faillock, OTP) run in a throw-away /etc.
import { join } from 'node:path';
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
  expect: {
    timeout: 10_000,
    // Stored screenshots (screenshots.spec.ts): the same Chromium and fonts draw the same
    // pixels; a little anti-aliasing drift between Chromium updates is tolerated.
    toHaveScreenshot: { maxDiffPixelRatio: 0.01, animations: 'disabled', caret: 'hide', scale: 'css' },
  },
  snapshotPathTemplate: '{testDir}/__screenshots__/{testFilePath}/{arg}{ext}',
  forbidOnly: true,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      // DejaVu only (fonts-dejavu-core): the same glyphs on every machine, for the screenshots.
      env: { ...process.env, FONTCONFIG_FILE: join(__dirname, 'support', 'fonts.conf') },
    },
    viewport: { width: 1024, height: 768 },
    locale: 'en-US',
    // On failure: a screenshot, the page's aria snapshot and serve's output (support/fixtures.ts).
    screenshot: 'only-on-failure',
    trace: 'off',
    actionTimeout: 10_000,
  },
});
