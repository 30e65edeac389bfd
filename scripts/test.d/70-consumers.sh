#!/usr/bin/env bash
# Consumer tests (#7): the package exactly as published (`npm pack` of pkg/) installed into fresh
# fixture apps in a temporary directory, against a live emulator:
#   node-app  Node 20 / SSR: no window, memory and custom storage, a member without a browser;
#             and the .d.ts through the `types` export (tsc, Node16 resolution)
#   sdk-app   the real @wix/sdk createClient with our strategy, a module call with our header
#   vite-app  vite build + vite preview, the dev server, and a plain <script type=module> page
#             (an import map, no bundler), in headless Chromium
# and docs/api.md against the shipped .d.ts.
# npm's cache lives in the temporary directory too: nothing is kept between runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
EMULATOR_DIR=${EMULATOR_DIR:-.}
(cd "$EMULATOR_DIR" && cargo build -p wix-auth-emulator --quiet)
bash scripts/build-pkg >/dev/null

source scripts/lib/emulator.sh
work=$(mktemp -d)
trap 'emulator_cleanup; rm -rf "$work"' EXIT
export npm_config_cache="$work/npm-cache" npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

tarball="$work/$(cd pkg && npm pack --silent --pack-destination "$work" | tail -n1)"
echo "packed $(basename "$tarball"): $(wc -c <"$tarball") bytes"

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PREVIEW_PORT=$(free_port) DEV_PORT=$(free_port) PLAIN_PORT=$(free_port)
emulator_start EMULATOR_URL "$EMULATOR_DIR/target/debug/wix-auth-emulator" \
  --allowed-origin "http://127.0.0.1:$PREVIEW_PORT" --allowed-origin "http://127.0.0.1:$DEV_PORT" \
  --allowed-origin "http://127.0.0.1:$PLAIN_PORT"

# fixture NAME PACKAGES... : a new app in $work/NAME with the tarball and PACKAGES installed.
fixture() {
  local name=$1; shift
  mkdir -p "$work/$name"
  if [ -d "tests/consumers/$name" ]; then cp -r "tests/consumers/$name/." "$work/$name/"; fi
  cp tests/consumers/server-login.mjs tests/consumers/node-ssr.test.mjs tests/consumers/sdk-client.test.mjs "$work/$name/"
  (cd "$work/$name" && echo '{"name":"fixture","private":true,"type":"module"}' >package.json &&
    npm install --silent --no-package-lock "$tarball" "$@")
}
fixture node-app typescript@5 & a=$!
fixture sdk-app @wix/sdk@1.21.16 & b=$!
fixture vite-app vite@8 & c=$!
# One statement each, so that `set -e` stops the suite when any install failed.
wait $a; wait $b; wait $c

failed=0
node --test tests/consumers/api-doc.test.mjs || failed=1
(cd "$work/node-app" && node --test node-ssr.test.mjs) || failed=1
(cd "$work/node-app" && node_modules/.bin/tsc -p . && echo "types: ok (tsc --noEmit, Node16 resolution)") || failed=1
(cd "$work/sdk-app" && node --test sdk-client.test.mjs) || failed=1
FIXTURE_DIR="$work/vite-app" PREVIEW_PORT=$PREVIEW_PORT DEV_PORT=$DEV_PORT PLAIN_PORT=$PLAIN_PORT \
  node --test tests/consumers/vite.test.mjs || failed=1
exit $failed
