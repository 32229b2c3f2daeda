#!/usr/bin/env bash
# npm test: build, type-check, then every suite through real libpam, real modules
# and Debian's Chromium. Run as root, suites that need test users in /etc run
# inside a private /etc overlay (scripts/with-etc-overlay.sh); otherwise they skip
# and say why.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every log line of every suite lands here (lab/test-logs.ts: the output of the
# processes the suites start, the secrets they use; below: each runner's own
# output), for one scan at the end: no test password may be in any of it.
GATEHOUSE_TEST_LOGS=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-test-logs.XXXXXX")
export GATEHOUSE_TEST_LOGS
trap 'rm -rf -- "$GATEHOUSE_TEST_LOGS"' EXIT

node scripts/build.mjs
echo "test: type-check"
node_modules/.bin/tsc -p tsconfig.json
if [ -f renderer/tsconfig.json ]; then node_modules/.bin/tsc -p renderer/tsconfig.json; fi

echo "test: unit and integration suites (vitest)"
scripts/with-etc-overlay.sh node_modules/.bin/vitest run 2>&1 | tee "$GATEHOUSE_TEST_LOGS/runner-vitest.log"

echo "test: the deb (npm run package with the Electron stand-in, lintian, install and purge in a throw-away root)"
scripts/with-etc-overlay.sh node_modules/.bin/vitest run --config vitest.package.config.mts 2>&1 | tee "$GATEHOUSE_TEST_LOGS/runner-package.log"

echo "test: the addon under valgrind"
scripts/memcheck.sh 2>&1 | tee "$GATEHOUSE_TEST_LOGS/runner-memcheck.log"

if [ -f e2e/playwright.config.ts ]; then
    echo "test: end-to-end suites (playwright, Debian's chromium)"
    scripts/with-etc-overlay.sh node_modules/.bin/playwright test -c e2e/playwright.config.ts 2>&1 | tee "$GATEHOUSE_TEST_LOGS/runner-playwright.log"
fi

if [ -f e2e/electron/playwright.config.ts ]; then
    # The Electron shell (e2e/electron) on a private Xvfb of its own. Without an
    # Electron binary (ELECTRON_OVERRIDE_DIST_PATH or node_modules/electron/dist)
    # every spec is skipped and the reason is printed.
    echo "test: Electron specs (playwright _electron)"
    scripts/with-etc-overlay.sh node_modules/.bin/playwright test -c e2e/electron/playwright.config.ts 2>&1 | tee "$GATEHOUSE_TEST_LOGS/runner-electron.log"
fi

echo "test: no test password in any log line of any suite"
node scripts/scan-test-logs.mjs "$GATEHOUSE_TEST_LOGS"
