// `wix-headless-auth/vite`: a Vite plugin that starts the `.wasm` download, and its compiling,
// with the page.
//
// Without it, the browser asks for the module only once the page's script has arrived and runs
// (the entry's first statement, start.js): one round trip after the script, and the compiling
// after that. The plugin puts two things at the top of the built page's <head>:
// - a `<link rel="preload" as="fetch" crossorigin>`, which starts the download with the HTML;
// - a small inline script that compiles the module as it arrives
//   (`WebAssembly.compileStreaming(fetch(url))`; preload.js writes it, and server-rendered apps
//   use the same script through `wix-headless-auth/preload`). The entry takes that module when
//   it runs, so the compile overlaps the app's own script instead of following it. The script's
//   `fetch` takes the preloaded response: one download, not two (the link's CORS mode and
//   credentials are the ones `fetch` uses). If the compile fails (a wrong `Content-Type`, the
//   network), the entry fetches and compiles the module itself, as without the plugin.
// `wixHeadlessAuth({ compile: false })` leaves the script out, for a Content-Security-Policy that
// forbids inline scripts: the link alone then starts the download. Measured in
// bench/ANALYSIS.md.
//
// Both go only into the HTML pages whose entry script loads the module (directly or
// through a chunk it imports statically), so other pages of a multi-page app download nothing
// more. Only in `vite build`: the dev server serves the package unbundled, where the asset has no
// final name to point at. The URL must be the one the script fetches, or the file is
// downloaded twice: it is computed as Vite computes the script's (`base`, and the app's
// `experimental.renderBuiltUrl` asked about the script, not the page); where the script's URL is
// only known at run time (`renderBuiltUrl` returning `{ runtime }`), nothing is added.

import { compileScript } from './preload.js';

// The module's file as Vite emits it: `wix_headless_auth_bg-<hash>.wasm` (or without the hash,
// with a custom `assetFileNames`).
const WASM = /(^|\/)wix_headless_auth_bg[^/]*\.wasm$/;

/** The Vite plugin: `plugins: [wixHeadlessAuth()]` in vite.config.js; `{ compile: false }`: the link only. */
export default function wixHeadlessAuth({ compile = true } = {}) {
  let config;
  return {
    name: 'wix-headless-auth:preload-wasm',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, { path, chunk, bundle }) {
        if (!chunk || !bundle) return [];
        const wasm = Object.values(bundle).find((file) => file.type === 'asset' && WASM.test(file.fileName));
        const loader = wasm && loading(chunk, bundle, wasm.fileName.split('/').pop());
        if (!loader) return [];
        const href = url(config, path, loader.fileName, wasm.fileName);
        if (!href) {
          config.logger.warn(`wix-headless-auth/vite: no preload link in ${path}: the script's URL for ${wasm.fileName} is made by renderBuiltUrl in a way the page cannot write`);
          return [];
        }
        const link = { tag: 'link', attrs: { rel: 'preload', as: 'fetch', type: 'application/wasm', crossorigin: true, href }, injectTo: 'head-prepend' };
        return compile ? [link, { tag: 'script', children: compileScript(href), injectTo: 'head-prepend' }] : [link];
      },
    },
  };
}

/** The chunk, `entry` or one it imports statically, that names the asset `name` (its URL is in the code). */
function loading(entry, bundle, name) {
  const seen = new Set();
  const stack = [entry];
  while (stack.length) {
    const chunk = stack.pop();
    if (seen.has(chunk.fileName)) continue;
    seen.add(chunk.fileName);
    if (chunk.code.includes(name)) return chunk;
    for (const file of chunk.imports) if (bundle[file]?.type === 'chunk') stack.push(bundle[file]);
  }
  return undefined;
}

/**
 * The URL the chunk `chunkName` fetches the asset `fileName` at, as the page at `htmlPath` must
 * write it; undefined when the page cannot know it. Vite's rule for a script: the app's
 * `renderBuiltUrl` first (a string is the URL, resolved against the script's when relative;
 * `{ relative }` chooses the form; `{ runtime }` is code that runs in the page), else relative to
 * the script when `base` is relative (`''` or `./`), else under `base`. Relative to the script
 * is the file's own place, which the page reaches relative to itself.
 */
function url(config, htmlPath, chunkName, fileName) {
  let relative = config.base === '' || config.base === './';
  const rendered = config.experimental?.renderBuiltUrl?.(fileName, { hostId: chunkName, hostType: 'js', type: 'asset', ssr: false });
  if (typeof rendered === 'string') return /^([a-z][a-z0-9+.-]*:|\/)/i.test(rendered) ? rendered : undefined;
  if (rendered?.runtime) return undefined;
  if (typeof rendered?.relative === 'boolean') relative = rendered.relative;
  if (!relative) return (config.decodedBase ?? config.base) + fileName;
  const depth = htmlPath.split('/').length - 2;
  return '../'.repeat(Math.max(0, depth)) + fileName;
}
