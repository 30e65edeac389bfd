// wix-headless-auth for browsers and bundlers: loads the wasm module once (top-level await), so
// `import { OAuthStrategy } from 'wix-headless-auth'` is ready to use with no `init()`.
// `new URL(…, import.meta.url)` is the pattern bundlers (Vite, webpack 5, Rollup) recognise and
// rewrite to the emitted asset's URL, so no plugin is needed.
import init from './wix_headless_auth.js';

await init({ module_or_path: new URL('./wix_headless_auth_bg.wasm', import.meta.url) });

export * from './strategy.js';
export { default } from './strategy.js';
