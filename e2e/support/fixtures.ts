// The e2e suites' test(): `openScreen` starts a serve on a stack and opens its page
// (stopped after the test, its output attached when the test fails), and
// `keepScreenshot` saves a picture of the scenario as an artifact.
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { SCREENSHOT_DIR } from './artifacts';
import { startServe, type RunningServe, type ServeSetup } from './serve';

interface Fixtures {
  /** Starts serve on `setup` and opens its URL in `page`. */
  openScreen(setup: ServeSetup, page?: Page): Promise<RunningServe>;
  /**
   * Saves a full-page screenshot named after the test and `step`. Every test
   * that passes also gets a 'final' one: at least one picture per scenario.
   */
  keepScreenshot(step: string, page?: Page): Promise<void>;
}

export const test = base.extend<Fixtures>({
  openScreen: async ({ page }, use, testInfo) => {
    const started: RunningServe[] = [];
    await use(async (setup, target = page) => {
      const serve = await startServe(setup);
      started.push(serve);
      await target.goto(serve.url);
      return serve;
    });
    for (const serve of started) await serve.stop();
    if (testInfo.status !== testInfo.expectedStatus) {
      for (const [i, serve] of started.entries()) {
        await testInfo.attach(`serve-${i}.log`, { body: serve.output(), contentType: 'text/plain' });
      }
    }
  },
  keepScreenshot: [
    async ({ page }, use, testInfo) => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const slug = (text: string) =>
        text
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '');
      const keep = async (step: string, target: Page) => {
        const spec = basename(testInfo.file, '.spec.ts');
        const path = join(SCREENSHOT_DIR, `${spec}--${slug(testInfo.title).slice(0, 48)}--${slug(step)}.png`);
        await target.screenshot({ path, fullPage: true });
        await testInfo.attach(step, { path, contentType: 'image/png' });
      };
      await use((step, target = page) => keep(step, target));
      if (testInfo.status === 'passed' && page.url().startsWith('http')) await keep('final', page);
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';
