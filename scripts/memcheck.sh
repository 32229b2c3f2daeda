#!/usr/bin/env bash
# memcheck.sh: runs native/test/memcheck/exercise.ts, which drives every path of the
# addon that copies, wipes or frees memory, under valgrind. Fails on any memory
# error and on any leak valgrind calls definite. (npm test runs it too.)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null; then
    echo "memcheck: valgrind is not installed (apt-get install valgrind)" >&2
    exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-memcheck-run.XXXXXX")
trap 'rm -rf -- "$work"' EXIT

node -e '
const { transformSync } = require("esbuild");
const fs = require("fs");
const path = require("path");
const [root, out] = process.argv.slice(1);
const ts = (file, extra = {}) => transformSync(fs.readFileSync(path.join(root, file), "utf8"), { loader: "ts", format: "cjs", target: "node20", ...extra }).code;
fs.writeFileSync(path.join(out, "index.cjs"), ts("native/index.ts", { define: { __dirname: JSON.stringify(path.join(root, "native")) } }));
fs.writeFileSync(path.join(out, "exercise.cjs"), ts("native/test/memcheck/exercise.ts"));
' "$PWD" "$work"

arch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
export GH_INDEX=$work/index.cjs
export GH_SCRIPT_MODULE=$PWD/native/fixtures/build/pam_gatehouse_script.so
export GH_MATRIX=/usr/lib/$arch/pam_wrapper/pam_matrix.so
if [ ! -f "$GH_SCRIPT_MODULE" ]; then
    echo "memcheck: $GH_SCRIPT_MODULE is not built (npm test builds it)" >&2
    exit 2
fi

echo "memcheck: valgrind on the addon (this takes a minute)"
valgrind --quiet --error-exitcode=97 --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --num-callers=40 \
    --suppressions=native/test/memcheck/node.supp \
    node --expose-gc "$work/exercise.cjs"
echo "memcheck: no memory errors, no definite leaks"
