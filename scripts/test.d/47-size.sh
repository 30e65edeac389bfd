#!/usr/bin/env bash
# Size regression gate: the release package a browser downloads (the .wasm and index.js, gzip -9)
# must not grow past bench/size-ceiling.txt (the measured size plus a small margin; lower it when
# the package shrinks). @wix/sdk's size is printed beside ours, with no budget relative to it.
# Uses the package 45-release-smoke.sh just built (or builds it).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
[ -f pkg/wix_headless_auth_bg.wasm ] && [ -f pkg/index.js ] || bash scripts/build-pkg
node bench/size.mjs --no-write --ceiling
