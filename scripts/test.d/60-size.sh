#!/usr/bin/env bash
# Static size check (no timing): builds the release package and fails when ours (.wasm + JS glue
# + JS entry, gzip -9) is above 0.8 × @wix/sdk createClient + OAuthStrategy bundled by esbuild.
# Prints the figures either way.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec bash scripts/size --check --no-write
