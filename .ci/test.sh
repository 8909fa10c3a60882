#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: lint, native tests, the
# release build and its size budget, then the end-to-end tests against the
# built worker.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

bash .ci/setup.sh --test

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy (native)"
cargo clippy --all-targets --locked -- -D warnings
echo "== cargo clippy (native, with the conformance fixtures)"
cargo clippy --all-targets --features conformance-fixtures --locked -- -D warnings
echo "== cargo clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --locked -- -D warnings
echo "== cargo test"
cargo test --locked
echo "== release build"
bash .ci/build.sh
echo "== build with the conformance suite's fixtures"
bash .ci/build.sh --conformance-fixtures
echo "== bundle size"
node tests/bundle/size.mjs
echo "== end-to-end"
node tests/e2e/run.mjs
