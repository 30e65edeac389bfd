#!/usr/bin/env bash
# Conformance: the real @wix/sdk OAuthStrategy (from npm) driven in Node against the emulator.
# Run from the repo root; EMULATOR_BIN may point at another build of wix-auth-emulator.
set -euo pipefail
cargo build -p wix-auth-emulator --quiet
node --test \
  tests/conformance/visitor.test.mjs \
  tests/conformance/custom-login.test.mjs \
  tests/conformance/email-verification.test.mjs \
  tests/conformance/owner-approval.test.mjs \
  tests/conformance/captcha.test.mjs \
  tests/conformance/hosted-login.test.mjs \
  tests/conformance/external-login.test.mjs \
  tests/conformance/cors.test.mjs
