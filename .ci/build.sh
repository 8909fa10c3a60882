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

# wasm-opt, with flags chosen by the size of the gzipped wasm, which is what
# counts against the Workers limit. Its usual -O inlines small functions into
# their callers: the raw wasm shrinks but compresses worse, and the gzipped
# wasm came out about 7% larger than with no inlining. With inlining off, -O3
# gives 0.7 KiB less gzipped wasm than -O2, and measured as fast under
# workerd. Leaving out --debuginfo drops the names section. The features are
# those the Workers runtime supports, so nothing newer is emitted.
"$WASM_OPT_BIN" build/index_bg.wasm -o build/index_bg.opt.wasm \
  -O3 --one-caller-inline-max-function-size 0 --always-inline-max-function-size 0 \
  --flexible-inline-max-function-size 0 \
  --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int \
  --enable-bulk-memory --enable-multivalue --enable-reference-types \
  --enable-exception-handling
mv build/index_bg.opt.wasm build/index_bg.wasm
