#!/usr/bin/env bash
# Parity: the real @wix/sdk 1.21.16 and our package (pkg/, as published) in the same headless
# Chromium page, against the same emulators, on the same scenarios; results compared field by
# field, every difference either absent or one of the deliberate ones the migration guide lists
# (tests/parity/allowed-differences.mjs). Prints the parity table.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
EMULATOR_DIR=${EMULATOR_DIR:-.}
(cd "$EMULATOR_DIR" && cargo build -p wix-auth-emulator --quiet)
export EMULATOR_BIN=${EMULATOR_BIN:-$EMULATOR_DIR/target/debug/wix-auth-emulator}
bash scripts/build-pkg >/dev/null
node --test --test-reporter=spec tests/parity/parity.test.mjs
