// wix-headless-auth for browsers and bundlers: loads the wasm module once (top-level await), so
// `import { OAuthStrategy } from 'wix-headless-auth'` is ready to use with no `init()`.
// start.js has already asked for the .wasm (see there).
import { wasm } from './start.js';
import init from './wix_headless_auth.js';

await init({ module_or_path: wasm });

export * from './strategy.js';
export { default } from './strategy.js';
