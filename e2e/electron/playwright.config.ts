// The Electron specs: the packaged shell's behaviour that needs the real Electron
// (windows per display, IPC, crash recovery, hardening), driven by Playwright's
// _electron.launch on a private Xvfb. They run wherever an Electron binary exists
// (ELECTRON_OVERRIDE_DIST_PATH, or node_modules/electron/dist) and are skipped,
// with the reason printed, everywhere else.
//
//   scripts/with-etc-overlay.sh node_modules/.bin/playwright test -c e2e/electron/playwright.config.ts
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/e2e-electron',
  globalSetup: './global-setup.ts',
  // One Electron app (one X server, one set of windows) at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: true,
  reporter: [['list']],
});
