// wix-headless-auth: the Wix Headless OAuthStrategy, in Rust compiled to WebAssembly.
// This entry loads the module once (top-level await) and exports `OAuthStrategy`, callable both
// as `OAuthStrategy({...})` (as in @wix/sdk) and as `new OAuthStrategy({...})`.
import init, { OAuthStrategy as Strategy, OAuthSessions } from './wix_headless_auth.js';

await init({ module_or_path: new URL('./wix_headless_auth_bg.wasm', import.meta.url) });

/** Creates a strategy; with or without `new`. */
export function OAuthStrategy(options) {
  return new Strategy(options);
}
// `x instanceof OAuthStrategy` holds for strategies made either way.
OAuthStrategy.prototype = Strategy.prototype;

export { OAuthSessions };
export default OAuthStrategy;
