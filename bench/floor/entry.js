// The bench page's `OAuthStrategy` shape over a floor variant's `Client`, so that
// `node bench/cold-probe.mjs N name=<variant's output dir>` times its first header beside ours and
// @wix/sdk's (run.sh bundles it with the variant's glue into index.js). As the package's entry:
// the .wasm is asked for first, and the module is ready at import (top-level await).
import init, { Client } from './floor.js';

await init({ module_or_path: fetch(new URL('./floor_bg.wasm', import.meta.url)) });

export function OAuthStrategy({ clientId, baseUrl }) {
  const client = new Client({ clientId, baseUrl });
  return { getAuthHeaders: async () => ({ headers: { Authorization: (await client.generateVisitorTokens()).accessToken } }) };
}
