// wix-headless-auth for Node (server-side rendering, scripts, tests), chosen by the `node`
// condition of package.json's `exports`. The wasm bytes are embedded in this entry (wasm-bytes.js)
// rather than read from a file next to it: server bundlers (Next.js with Turbopack or webpack)
// rewrite `new URL('./….wasm', import.meta.url)` into something `readFileSync` rejects, and a
// built app moved to another folder must still start. Instantiated synchronously, so there is no
// top-level await and no init(). There is no `window` here: tokens live in memory, in a cookie
// (`wix-headless-auth/cookie`) or in your own `{getTokens, setTokens}`, and calls that need a page
// (direct login's hidden frame, syncWithWixPages) reject with an AuthError whose code is
// `browser_only`.
import { initSync } from './wix_headless_auth.js';
import { wasmBytes } from './wasm-bytes.js';

initSync({ module: wasmBytes() });

export * from './strategy.js';
export { default } from './strategy.js';
