#!/usr/bin/env bash
# Builds the release worker (build/index.js and its wasm) with worker-build,
# pointing it at the wasm-bindgen and wasm-opt that setup.sh installed so
# that nothing is downloaded during the build. wrangler's [build] runs this.
#
# With --conformance-fixtures it builds instead, into build/conformance/, the
# worker with the conformance suite's fixtures that only the end-to-end tests
# run (docs/testing.md); it is never deployed, so it skips wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

export WASM_BINDGEN_BIN="${WASM_BINDGEN_BIN:-$(command -v wasm-bindgen || true)}"
export WASM_OPT_BIN="${WASM_OPT_BIN:-$PWD/node_modules/.bin/wasm-opt}"
for tool in worker-build "$WASM_BINDGEN_BIN" "$WASM_OPT_BIN"; do
  if [ -z "$tool" ] || ! command -v "$tool" >/dev/null 2>&1; then
    echo "build: ${tool:-wasm-bindgen} is missing; run 'npm run setup' first" >&2
    exit 1
  fi
done

if [ "${1:-}" = "--conformance-fixtures" ]; then
  worker-build --release --no-opt --out-dir build/conformance --features conformance-fixtures
  exit 0
fi

worker-build --release

"$(dirname "$0")/wasm-opt.sh" build/index_bg.wasm build/index_bg.opt.wasm
mv build/index_bg.opt.wasm build/index_bg.wasm
