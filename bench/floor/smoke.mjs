// Checks that a measured module (after wasm-opt and esbuild) loads and does its work, in Node
// with a fake fetch and Web Lock: a size floor only counts if the code behind it runs. gloo-net
// (the `named` variant) calls `fetch(request)` with a Request, the others `fetch(url, init)`.
// Usage: node smoke.mjs DIR   (DIR = a variant's output, e.g. /tmp/floor-target/floor-out/v6)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = resolve(process.argv[2]);
const m = await import(dir + '/floor.min.js');
m.initSync({ module: readFileSync(dir + '/floor_bg.wasm') });
globalThis.fetch = async (url, init) =>
  new Response(JSON.stringify({ access_token: 'A', refresh_token: String(init?.body ?? 'R'), state: 'S', sessionToken: String(url?.url ?? url) }));
globalThis.navigator = { locks: { request: async (name, cb) => cb({ name }) } };

const c = new m.Client({ clientId: 'abc' });
console.log(c.authUrl?.('https://x.test/cb?a=1'));
console.log(await c.generateVisitorTokens?.());
console.log(await c.login?.('e@x', 'pw'));
try { new m.Client({}); } catch (e) { console.log('throws:', e.message); }
