#!/usr/bin/env bash
# Builds every size-floor variant (v1..v6, see README.md) exactly as scripts/build-pkg builds the
# real package (release, opt-level "z", LTO, cgu 1, panic abort; wasm-bindgen --target web;
# wasm-opt -Oz; esbuild --minify on the glue) and prints raw and gzip -9 sizes.
# Output goes to /tmp/floor-target (override with CARGO_TARGET_DIR), never into the repo.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$PWD/../../node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/floor-target}"
out="$CARGO_TARGET_DIR/floor-out"
gz() { gzip -9c "$1" | wc -c; }

printf '%-7s %9s %9s %9s %9s %10s\n' var wasm wasm.gz glue glue.gz total.gz
# v5+bump: v5 with a never-freeing bump allocator instead of std's dlmalloc (prices the allocator).
for v in v1 v2 v3 v4 v5 v6 v5+bump named; do
  d="$out/$v"
  rm -rf "$d" && mkdir -p "$d"
  cargo build --offline --quiet --release --target wasm32-unknown-unknown --no-default-features --features "${v/+/,}"
  wasm-bindgen --target web --out-dir "$d" --out-name floor "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/floor.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$d/floor_bg.wasm" -o "$d/floor_bg.wasm"
  esbuild "$d/floor.js" --minify --format=esm --log-level=warning --outfile="$d/floor.min.js"
  w=$(gz "$d/floor_bg.wasm") j=$(gz "$d/floor.min.js")
  printf '%-7s %9d %9d %9d %9d %10d\n' "$v" "$(wc -c <"$d/floor_bg.wasm")" "$w" "$(wc -c <"$d/floor.min.js")" "$j" $((w + j))
done

# The sizes only count if the modules work: load each Client variant in Node and call it.
for v in v3 v4 v5 v6 v5+bump named; do
  node smoke.mjs "$out/$v" >/dev/null || { echo "smoke test failed: $v" >&2; exit 1; }
done
echo "smoke (node smoke.mjs, v3..v6, named): ok"

# For the cold-start probe: the entry of the package's shape (entry.js) over the variants that
# mint a visitor, as index.js beside their module (see README.md, "First header").
for v in v3 v5 named; do
  cp entry.js "$out/$v/entry.js"
  esbuild "$out/$v/entry.js" --bundle --minify --format=esm --platform=browser --target=es2022 \
    --log-level=warning --outfile="$out/$v/index.js"
done
echo "entries for bench/cold-probe.mjs: $out/{v3,v5,named}/index.js"
