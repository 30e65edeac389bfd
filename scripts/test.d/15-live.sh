#!/usr/bin/env bash
# The session engine natively against a real emulator (email verification and refresh-token
# rotation on): the engine's `live_` tests, which a plain `cargo test` reports as ignored.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/emulator.sh
cargo build -p wix-auth-emulator --quiet
emulator_start WIX_EMULATOR_URL target/debug/wix-auth-emulator --require-email-verification --rotate-refresh-tokens
cargo test --quiet -p wix-auth-session --lib -- --ignored live_
