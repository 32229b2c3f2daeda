// The deb suite (build/test/deb): builds the package, lints it, installs and
// purges it in a throw-away root. Run on its own, after the other suites
// (scripts/test.sh): building the package keeps both cores busy.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['build/test/deb/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['lab/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: ['default'],
  },
});
