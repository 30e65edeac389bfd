// The two bench pages: the same routing shim, the same work, only the client differs.
//
// Routing: @wix/sdk has `https://www.wixapis.com` built in, so a classic script (run before any
// module) wraps `window.fetch` and rewrites that prefix to the emulator. The wrapper is installed
// on BOTH pages; for ours (given `baseUrl` = the emulator) it is a pass-through, so both clients pay
// the same extra call per request.
//
// Persistence: ours stores its tokens in localStorage itself. @wix/sdk stores nothing, so its page
// does what the Wix docs show a storefront doing (they use a cookie; localStorage is the same
// work): read `JSON.parse(stored)` into `OAuthStrategy({tokens})` at load, and write
// `JSON.stringify(auth.getTokens())` after the first header.
//
// Modes (`?mode=`): `first` (one getAuthHeaders), `concurrent` (50 at once on the fresh client).
// Every page resolves `window.__ready` with {first, moduleStart, distinct?} (performance.now(),
// i.e. ms since navigation start) or {error}; `window.__hot(ms, max)` runs the hot loop.

import { compileScript } from '../../pkg-template/preload.js';

/** The routing shim as a classic `<script>` (run before any module). */
export const shim = (emu) => `<script>
(() => {
  const EMU = ${JSON.stringify(emu)}, WIX = 'https://www.wixapis.com';
  const f = window.fetch;
  window.fetch = function (input, init) {
    return f.call(this === undefined ? window : this,
      typeof input === 'string' && input.startsWith(WIX) ? EMU + input.slice(WIX.length) : input, init);
  };
  let done; window.__ready = new Promise((r) => { done = r; }); window.__done = done;
  window.__mode = new URLSearchParams(location.search).get('mode') || 'first';
  addEventListener('error', (e) => done({ error: String(e.message) }));
  addEventListener('unhandledrejection', (e) => done({ error: String(e.reason && e.reason.stack || e.reason) }));
})();
</script>`;

const ours = (emu, clientId, entry = '/ours/index.js') => `
import { OAuthStrategy } from '${entry}';
const moduleStart = performance.now();
const auth = OAuthStrategy({ clientId: ${JSON.stringify(clientId)}, baseUrl: ${JSON.stringify(emu)} });
const persist = () => {};`;

const CLIENTS = {
  ours,
  // Not compared pages (both of those are the same page): ours on a page that starts the .wasm
  // download with the HTML, as docs/quick-start.md suggests (`ours-preload`), and on one that also
  // compiles it from the head, as the Vite plugin and `wix-headless-auth/preload` do (`ours-head`),
  // for the probe `node bench/run.mjs --only=cold,reload --clients=ours,ours-preload,ours-head,theirs`.
  'ours-preload': ours,
  'ours-head': ours,
  theirs: (_emu, clientId, entry = '/theirs/wix-sdk.bundle.js') => `
import '${entry}';
const moduleStart = performance.now();
const { createClient, OAuthStrategy } = globalThis;
const KEY = 'wix-session';
let tokens;
try { tokens = JSON.parse(localStorage.getItem(KEY)) || undefined; } catch { tokens = undefined; }
const auth = createClient({ auth: OAuthStrategy({ clientId: ${JSON.stringify(clientId)}, tokens }) }).auth;
const persist = () => localStorage.setItem(KEY, JSON.stringify(auth.getTokens()));`,
};

const body = `
const out = { moduleStart };
if (window.__mode === 'concurrent') {
  const hs = await Promise.all(Array.from({ length: 50 }, () => auth.getAuthHeaders()));
  out.first = performance.now();
  out.distinct = new Set(hs.map((h) => h.headers.Authorization)).size;
} else {
  const h = await auth.getAuthHeaders();
  out.first = performance.now();
  if (!h.headers.Authorization) throw new Error('no Authorization header');
}
persist();
// When the last code resource (not the emulator's) finished downloading: splits the cold start
// into download, compile + instantiate + evaluate, and the token request.
out.codeEnd = Math.max(0, ...performance.getEntriesByType('resource')
  .filter((e) => e.name.startsWith(location.origin)).map((e) => e.responseEnd));
out.codeFiles = performance.getEntriesByType('resource').filter((e) => e.name.startsWith(location.origin)).length;
window.__hot = async (ms, max) => {
  let n = 0;
  const t0 = performance.now();
  while (n < max && performance.now() - t0 < ms) {
    for (let i = 0; i < 64; i++) {
      const h = await auth.getAuthHeaders();
      if (!h.headers.Authorization) throw new Error('no Authorization header');
    }
    n += 64;
  }
  return { calls: n, ms: performance.now() - t0 };
};
window.__done(out);`;

const WASM = '/ours/wix_headless_auth_bg.wasm';
const PRELOAD = `<link rel="preload" as="fetch" type="application/wasm" crossorigin href="${WASM}">`;
const HEAD = { 'ours-preload': PRELOAD, 'ours-head': `${PRELOAD}\n<script>${compileScript(WASM)}</script>` };

/**
 * The page's module code for `client`: the client's import (`entry`: ours from the package entry,
 * theirs from a file that puts `createClient` and `OAuthStrategy` on globalThis, as
 * lib/sdk-entry.js does), then the common work. `entry` defaults to the bench server's paths; an
 * app that bundles the code gives the package name or the sdk-entry file.
 */
export function moduleCode(client, emu, clientId, entry) {
  return `${CLIENTS[client](emu, clientId, entry)}\n${body}`;
}

/** HTML of the page of `client` ('ours' | 'theirs' | 'ours-preload' | 'ours-head'). */
export function pageHtml(client, emu, clientId) {
  return `<!doctype html><meta charset="utf-8"><title>bench ${client}</title>
${HEAD[client] ?? ''}
${shim(emu)}
<script type="module">${moduleCode(client, emu, clientId)}
</script>
`;
}

/** Bound of every wait on a bench page, in ms. */
export const WAIT_MS = 20_000;

/**
 * Opens `url` (or, without one, keeps the page as it is, e.g. after a reload) and waits, bounded,
 * for the page's `window.__ready`; throws with the page's error or on timeout.
 */
export async function loadAndWait(page, url) {
  if (url) await page.goto(url, { waitUntil: 'domcontentloaded', timeout: WAIT_MS });
  const result = await page.evaluate(
    (ms) => Promise.race([window.__ready ?? { error: 'no harness on the page' }, new Promise((r) => setTimeout(() => r({ error: `no header within ${ms} ms` }), ms))]),
    WAIT_MS,
  );
  if (result.error) throw new Error(`${url ?? 'reload'}: ${result.error}`);
  return result;
}
