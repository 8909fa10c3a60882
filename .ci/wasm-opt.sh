#!/usr/bin/env bash
# Optimizes a worker wasm: wasm-opt.sh IN OUT. The release build runs it, and
# so does the measure of each toolset's cost (tests/bundle/toolsets.mjs).
#
# The flags are chosen by the size of the gzipped wasm, which is what counts
# against the Workers limit. wasm-opt's usual -O inlines small functions into
# their callers: the raw wasm shrinks but compresses worse, and the gzipped
# wasm came out about 7% larger than with no inlining. With inlining off, -O3
# gives 0.7 KiB less gzipped wasm than -O2, and measured as fast under
# workerd. Leaving out --debuginfo drops the names section. The features are
# those the Workers runtime supports, so nothing newer is emitted.
set -euo pipefail
WASM_OPT_BIN="${WASM_OPT_BIN:-$(cd "$(dirname "$0")/.." && pwd)/node_modules/.bin/wasm-opt}"
"$WASM_OPT_BIN" "$1" -o "$2" \
  -O3 --one-caller-inline-max-function-size 0 --always-inline-max-function-size 0 \
  --flexible-inline-max-function-size 0 \
  --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int \
  --enable-bulk-memory --enable-multivalue --enable-reference-types \
  --enable-exception-handling
