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
  strategy.getAuthHeaders = fastAuthHeaders(strategy, strategy.getAuthHeaders);
  return strategy;
}

// `getAuthHeaders` is called before every API request, so its common case — a usable token —
// must cost what a plain JS client pays: no trip into wasm, no storage read. The engine says
// which token is usable and until when (`usableAuth`); this copy serves it until that instant
// or until the tokens change (this tab's change, or another tab's as the engine hears it),
// whichever comes first. Everything else (minting, refreshing, single-flight) is the engine's.
function fastAuthHeaders(strategy, engine) {
  let token = '';
  let until = 0;
  strategy.onTokensChanged(() => { until = 0; });
  return function getAuthHeaders() {
    if (Date.now() >= until) {
      const usable = strategy.usableAuth();
      if (!usable) return engine();
      [token, until] = usable;
    }
    return Promise.resolve({ headers: { Authorization: token } });
  };
}
// `x instanceof OAuthStrategy` holds for strategies made either way.
OAuthStrategy.prototype = Strategy.prototype;

export { OAuthSessions };
export * from './sdk-exports.js';
export default OAuthStrategy;
