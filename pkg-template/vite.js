// `wix-headless-auth/vite`: a Vite plugin that starts the `.wasm` download with the page.
//
// Without it, the browser asks for the module only once the page's script has arrived and runs
// (the entry's first statement, start.js): one round trip after the script. A `<link
// rel="preload" as="fetch" crossorigin>` in the built HTML starts that download with the HTML, in
// parallel with the script, and the entry's `fetch` then takes the preloaded response (one
// download, not two: the link's CORS mode and credentials are the ones `fetch` uses). Measured in
// bench/ANALYSIS.md: a first header 8–14 ms sooner on this project's machine.
//
// The link goes only into the HTML pages whose entry script loads the module (directly or
// through a chunk it imports statically), so other pages of a multi-page app download nothing
// more. Only in `vite build`: the dev server serves the package unbundled, where the asset has no
// final name to point at.

// The module's file as Vite emits it: `wix_headless_auth_bg-<hash>.wasm` (or without the hash,
// with a custom `assetFileNames`).
const WASM = /(^|\/)wix_headless_auth_bg[^/]*\.wasm$/;

/** The Vite plugin: `plugins: [wixHeadlessAuth()]` in vite.config.js. */
export default function wixHeadlessAuth() {
  let base = '/';
  return {
    name: 'wix-headless-auth:preload-wasm',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, { path, chunk, bundle }) {
        if (!chunk || !bundle) return [];
        const wasm = Object.values(bundle).find((file) => file.type === 'asset' && WASM.test(file.fileName));
        if (!wasm || !loads(chunk, bundle, wasm.fileName.split('/').pop())) return [];
        return [{
          tag: 'link',
          attrs: { rel: 'preload', as: 'fetch', type: 'application/wasm', crossorigin: true, href: url(base, path, wasm.fileName) },
          injectTo: 'head-prepend',
        }];
      },
    },
  };
}

/** Whether `entry` or a chunk it imports statically names the asset `name` (its URL is in the code). */
function loads(entry, bundle, name) {
  const seen = new Set();
  const stack = [entry];
  while (stack.length) {
    const chunk = stack.pop();
    if (seen.has(chunk.fileName)) continue;
    seen.add(chunk.fileName);
    if (chunk.code.includes(name)) return true;
    for (const file of chunk.imports) if (bundle[file]?.type === 'chunk') stack.push(bundle[file]);
  }
  return false;
}

/** The asset's URL as the page at `htmlPath` must write it: under `base`, or relative to the
 * page when `base` is relative (`''` or `./`), as Vite writes its own tags. */
function url(base, htmlPath, fileName) {
  if (base !== '' && base !== './') return base + fileName;
  const depth = htmlPath.split('/').length - 2;
  return '../'.repeat(Math.max(0, depth)) + fileName;
}
