#!/usr/bin/env bash
# End-to-end tests of the demo storefront in Debian's Chromium (playwright-core + node:test).
# Each test file starts its own emulator (in-memory, flags per file) and demo server on free
# ports and stops them when done. Screenshots land in artifacts/e2e/.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

bash scripts/build-demo
mkdir -p artifacts/e2e
node --test --test-reporter=spec tests/e2e/*.test.mjs
