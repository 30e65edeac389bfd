// wix-headless-auth for Node (server-side rendering, scripts, tests): Node's `fetch` cannot load
// a `file:` URL, so the wasm module is read from disk and instantiated synchronously. Chosen by
// the `node` condition of package.json's `exports`. There is no `window` here: tokens live in
// memory or in your own `{getTokens, setTokens}` storage, and calls that need a page (direct
// login's hidden frame, syncWithWixPages) reject with an AuthError whose code is `browser_only`.
import { readFileSync } from 'node:fs';
import { initSync } from './wix_headless_auth.js';

initSync({ module: readFileSync(new URL('./wix_headless_auth_bg.wasm', import.meta.url)) });

export * from './strategy.js';
export { default } from './strategy.js';
