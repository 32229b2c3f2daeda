import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['native/test/**/*.test.ts', 'guard/**/*.test.ts', 'main/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'lab/**/*.test.ts', 'build/**/*.test.ts'],
    // The deb suite builds the package and runs on its own (vitest.package.config.mts).
    exclude: [...configDefaults.exclude, 'build/test/deb/**'],
    // Native addons and PAM modules are process-wide: one forked process per file.
    pool: 'forks',
    globalSetup: ['lab/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
