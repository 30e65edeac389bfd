// `node bench/first-call.mjs [runs]` (after scripts/build-pkg): where our first getAuthHeaders()
// spends its time beyond the token request itself. Fresh context per run; variants: a bare fetch of
// the token endpoint, ours with localStorage, sessionStorage, memory, and memory without Web Locks.
// Prints medians of construction and of construction → first header, in ms. Not part of npm test.
import { fileURLToPath } from 'node:url';
import { launch } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { CLIENT_ID, startEmulator } from './lib/emulator.mjs';
const PKG = fileURLToPath(new URL('../pkg', import.meta.url));
const pages = {};
const server = await startServer({ mounts: { '/ours/': PKG }, pages });
const emulator = await startEmulator(['--db', ':memory:', '--allowed-origin', server.origin]);
const emu = emulator.url;
const page = (opts, pre = '') => `<!doctype html><script type="module">
const { OAuthStrategy } = await import('/ours/index.js');
${pre}
const t0 = performance.now();
const auth = OAuthStrategy({ clientId: ${JSON.stringify(CLIENT_ID)}, baseUrl: ${JSON.stringify(emu)} ${opts} });
const t1 = performance.now();
await auth.getAuthHeaders(); window.__t=[t1-t0, performance.now()-t1];</script>`;
const raw = `<!doctype html><script type="module">
const { OAuthStrategy } = await import('/ours/index.js');
const t0 = performance.now(); const t1 = performance.now();
const r = await fetch(${JSON.stringify(emu)} + '/oauth2/token', {method:'POST', headers:{'Content-Type':'application/json'}, body: JSON.stringify({grantType:'anonymous', clientId: ${JSON.stringify(CLIENT_ID)}})}); await r.text(); window.__t=[t1-t0, performance.now()-t1];</script>`;
const variants = {
  raw,
  local: page(''),
  session: page(", storage: 'session'"),
  memory: page(", storage: 'memory'"),
  nolocks_memory: page(", storage: 'memory'", "Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });"),
};
for (const [k, v] of Object.entries(variants)) pages[`/${k}.html`] = v;
const { browser, stop } = await launch();
const res = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let i = 0; i < Number(process.argv[2] ?? 20); i++) for (const k of Object.keys(variants)) {
  const ctx = await browser.newContext(); const p = await ctx.newPage();
  await p.goto(`${server.origin}/${k}.html`);
  await p.waitForFunction(() => window.__t, null, { timeout: 10000 });
  res[k].push(await p.evaluate(() => window.__t));
  await ctx.close();
}
const med = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1].toFixed(1);
for (const k of Object.keys(variants)) console.log(k.padEnd(16), 'construct', med(res[k].map((x) => x[0])), 'first header', med(res[k].map((x) => x[1])));
await stop(); await emulator.stop(); await server.stop();
