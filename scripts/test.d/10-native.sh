#!/usr/bin/env bash
# Native Rust tests: protocol and session unit tests, emulator integration tests over real HTTP.
set -euo pipefail
cargo test --workspace --quiet
