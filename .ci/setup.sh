#!/usr/bin/env bash
# Installs what building, running and testing the worker need, skipping
# whatever is already there:
#   the wasm32 target, rustfmt and clippy; worker-build; wasm-bindgen-cli at
#   exactly the wasm-bindgen version in Cargo.lock; the npm packages
#   (wrangler, binaryen's wasm-opt, the MCP clients used by the tests).
# With --test it also makes .venv with the Python MCP client, and installs
# Debian's chromium package when there is no Chromium, for the browser test
# of the front door (playwright-core drives it; nothing downloads a browser).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

WORKER_BUILD_VERSION=0.8.7

say() { printf 'setup: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding $component"
    rustup component add "$component"
  fi
done

installed_version() { "$1" --version 2>/dev/null | awk '{print $NF}'; }

if [ "$(installed_version worker-build)" != "$WORKER_BUILD_VERSION" ]; then
  say "installing worker-build $WORKER_BUILD_VERSION (a few minutes)"
  cargo install worker-build --version "$WORKER_BUILD_VERSION" --locked
fi

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  say "Cargo.lock names no wasm-bindgen version" >&2
  exit 1
fi
if [ "$(installed_version wasm-bindgen)" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes)"
  # The locked dependency set may name a version the registry index no
  # longer serves; the unlocked resolution of the same release works then.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --locked ||
    cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

if [ ! -x node_modules/.bin/wrangler ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" = "--test" ]; then
  if [ ! -x .venv/bin/python ]; then
    say "creating .venv"
    python3 -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt
  # CHROMIUM names another Chromium for the test, which is then not installed here.
  chromium="${CHROMIUM:-/usr/bin/chromium}"
  if [ ! -x "$chromium" ] && [ -z "${CHROMIUM:-}" ]; then
    say "installing Debian's chromium package"
    as_root=()
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then as_root=(sudo); fi
    "${as_root[@]}" apt-get update -qq &&
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium ||
      true
  fi
  if [ ! -x "$chromium" ]; then
    say "no Chromium at $chromium: the browser test of the front door cannot run;" \
      "install Debian's chromium package (apt-get install chromium) or name another with CHROMIUM=" >&2
    exit 1
  fi
fi
say "ready"
