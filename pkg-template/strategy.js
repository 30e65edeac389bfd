// The public surface shared by both entries (index.js for browsers and bundlers, node.js for
// Node): `OAuthStrategy`, callable both as `OAuthStrategy({...})` (as in @wix/sdk) and as
// `new OAuthStrategy({...})`. The entries load the wasm module before anyone can call it.
import { OAuthStrategy as Strategy, OAuthSessions } from './wix_headless_auth.js';

// wasm-bindgen methods read `this`; @wix/sdk's strategy is a plain object of closures, and
// `createClient` relies on that: its `client.auth` getter replaces `getAuthHeaders` with
// `getAuthHeaders.bind(undefined, host)` and it passes `getActiveToken` around unbound. Binding
// every method to its instance keeps both working (and `const { login } = auth` too).
const methods = Object.getOwnPropertyNames(Strategy.prototype).filter(
  (name) => name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(Strategy.prototype, name).value === 'function',
);

/** Creates a strategy; with or without `new`. */
export function OAuthStrategy(options) {
  const strategy = new Strategy(options);
  for (const name of methods) strategy[name] = strategy[name].bind(strategy);
  return strategy;
}
// `x instanceof OAuthStrategy` holds for strategies made either way.
OAuthStrategy.prototype = Strategy.prototype;

export { OAuthSessions };
export default OAuthStrategy;
