#!/usr/bin/env bash
# Browser tests: wasm-bindgen-test in headless Chromium against live emulators.
#
# The test page is served from a pinned loopback origin (WASM_BINDGEN_TEST_ADDRESS) so that the
# emulators can allow it for CORS and for the direct-login web_message frame. Each emulator is
# started by binary path on a free port and killed by PID on exit. Their URLs reach the tests at
# compile time (option_env!). Origin isolation is off: the emulator's login frame is cross-origin.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

EMULATOR_DIR=${EMULATOR_DIR:-.}
# The test page's port: pinned up front (the emulators must allow its origin), free unless given.
TEST_PORT=${BROWSER_TEST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
ORIGIN="http://127.0.0.1:$TEST_PORT"
REDIRECT="$ORIGIN/callback"
source scripts/lib/emulator.sh
work=$EMULATOR_WORK
pids=()  # helper servers of this suite; the emulators are stopped by scripts/lib/emulator.sh
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; emulator_cleanup' EXIT

(cd "$EMULATOR_DIR" && cargo build -p wix-auth-emulator --quiet)
EMU_BIN="$EMULATOR_DIR/target/debug/wix-auth-emulator"

# (an allowed redirect URI also allows its origin, so the strict emulator gets neither).
allow=(--allowed-origin "$ORIGIN" --redirect-uri "$REDIRECT")
start() { emulator_start "$1" "$EMU_BIN" "${@:2}"; }

# A TCP server that accepts and never answers: the request-timeout test.
python_bin=$(command -v python3)
"$python_bin" - >"$work/hole.out" <<'PY' &
import socket, time, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(16)
print("http://127.0.0.1:%d/" % s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
PY
pids+=($!)
for _ in $(seq 1 50); do [ -s "$work/hole.out" ] && break; sleep 0.1; done
export BLACKHOLE_URL=$(head -n1 "$work/hole.out")

start EMULATOR_URL "${allow[@]}"
start EMULATOR_VERIFY_URL "${allow[@]}" --require-email-verification
start EMULATOR_ROTATE_URL "${allow[@]}" --rotate-refresh-tokens
# An emulator that does not allow the test page's origin, behind a proxy that answers CORS for
# any origin (as the real Wix APIs do): direct login from this page must fail fast.
start STRICT_UPSTREAM_URL
"$python_bin" tests/support/cors_proxy.py "$STRICT_UPSTREAM_URL" >"$work/proxy.out" &
pids+=($!)
for _ in $(seq 1 50); do [ -s "$work/proxy.out" ] && break; sleep 0.1; done
export EMULATOR_STRICT_URL=$(head -n1 "$work/proxy.out")
# Hostile replies (nested 100,000 deep, 16 MiB bodies) for tests/browser_hostile.rs.
"$python_bin" tests/support/hostile_server.py >"$work/hostile.out" &
pids+=($!)
for _ in $(seq 1 50); do [ -s "$work/hostile.out" ] && break; sleep 0.1; done
export HOSTILE_URL=$(head -n1 "$work/hostile.out")
export BROWSER_TEST_ORIGIN="$ORIGIN"

export WASM_BINDGEN_TEST_ADDRESS="127.0.0.1:$TEST_PORT"
export WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-180}
tests=()
for f in tests/browser_*.rs; do tests+=(--test "$(basename "$f" .rs)"); done
# No path argument: `wasm-pack test .` builds another checkout of the repository here.
wasm-pack test --headless --chrome -- "${tests[@]}"
