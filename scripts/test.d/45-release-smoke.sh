#!/usr/bin/env bash
# Release smoke test: build the npm package exactly as published (scripts/build-pkg: release,
# wasm-opt from npm's binaryen) and run a visitor flow with it in headless Chromium against a live
# emulator. Debug-build tests never run wasm-opt, so only this catches a broken optimiser.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
EMULATOR_DIR=${EMULATOR_DIR:-.}
(cd "$EMULATOR_DIR" && cargo build -p wix-auth-emulator --quiet)
bash scripts/build-pkg
node tests/smoke/run.mjs "$EMULATOR_DIR/target/debug/wix-auth-emulator"
