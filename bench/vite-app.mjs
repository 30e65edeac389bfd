// `node bench/vite-app.mjs [runs]` (after scripts/build-pkg): the bench page's work (lib/pages.mjs:
// one getAuthHeaders, the tokens persisted) as a Vite app, built by the same Vite twice: with
// wix-headless-auth and its plugin (which preloads the .wasm), and with @wix/sdk (the code differs
// only in its import). Both builds are served by the bench's server (gzip -9) and opened
// alternately, each in a fresh context: a cold start, then a reload with the stored tokens; on
// loopback and with Chromium's network emulation (60 ms latency, 9 Mbit/s down). Twice each: with
// every file `no-store`, as `npm run bench` serves them (a reload downloads and compiles the code
// again), and with Vite's hashed assets cacheable for a year, as a storefront serves them (a
// reload takes them from the HTTP cache; the cold start is the same). Prints medians (ms since
// navigation to the first header) and the ratios. What a storefront built with Vite
// gets; the issue's verdicts stay on `npm run bench`'s plain pages. Vite and @wix/sdk come from
// npm (its cache, target/consumers/npm-cache, which the consumer suite fills). Not part of npm test.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SDK_ENTRY } from './lib/sizes.mjs';
import { installPacked } from './lib/apps.mjs';
import { freshPage, launch } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { loadAndWait, moduleCode, shim } from './lib/pages.mjs';
import { CLIENT_ID, startEmulator } from './lib/emulator.mjs';
import { median } from './lib/stats.mjs';

const runs = Number(process.argv[2] ?? 20);
if (!(Number.isInteger(runs) && runs > 0 && runs <= 500)) throw new Error('runs: a whole number from 1 to 500');
const sdkVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/@wix/sdk/package.json'), 'utf8')).version;

// Per client: how the page imports it, and the Vite config (each app under its own base path).
const CLIENTS = {
  ours: { entry: 'wix-headless-auth', config: "import wixHeadlessAuth from 'wix-headless-auth/vite';\nexport default { base: '/ours/', plugins: [wixHeadlessAuth()] };" },
  theirs: { entry: './sdk-entry.js', config: "export default { base: '/theirs/' };" },
};

const work = mkdtempSync(join(tmpdir(), 'vite-app-bench-'));
const mounts = {};
let cacheAssets = false;
const server = await startServer({ mounts, gzip: true, immutable: (path) => cacheAssets && path.includes('/assets/') });
let emulator;
let stopBrowser;
try {
  emulator = await startEmulator(['--db', ':memory:', '--allowed-origin', server.origin]);
  installPacked(work, ['vite@8', `@wix/sdk@${sdkVersion}`]);
  for (const [client, { entry, config }] of Object.entries(CLIENTS)) {
    const dir = join(work, client);
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>${client}</title>\n${shim(emulator.url)}\n<script type="module" src="./main.js"></script>\n`);
    writeFileSync(join(dir, 'main.js'), moduleCode(client, emulator.url, CLIENT_ID, entry));
    writeFileSync(join(dir, 'vite.config.js'), config);
    if (client === 'theirs') copyFileSync(SDK_ENTRY, join(dir, entry));
    execFileSync(join(work, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: dir, stdio: 'pipe' });
    const built = readFileSync(join(dir, 'dist/index.html'), 'utf8');
    if ((client === 'ours') !== /<link rel="preload"[^>]*\.wasm/.test(built)) throw new Error(`${client}: the built page should ${client === 'ours' ? '' : 'not '}preload a .wasm`);
    mounts[`/${client}/`] = join(dir, 'dist');
  }
  const { browser, stop } = await launch();
  stopBrowser = stop;
  const clients = Object.keys(CLIENTS);
  for (const [latency, cached] of [[0, false], [0, true], [60, false], [60, true]]) {
    cacheAssets = cached;
    const rows = Object.fromEntries(clients.map((c) => [c, { cold: [], reload: [] }]));
    for (let i = 0; i < runs; i++) {
      for (const c of i % 2 ? clients : [...clients].reverse()) {
        const { cold, reload } = await coldThenReload(browser, `${server.origin}/${c}/index.html`, latency);
        rows[c].cold.push(cold);
        rows[c].reload.push(reload);
      }
    }
    const m = (c, k) => median(rows[c][k]);
    console.log(`${latency ? `${latency} ms latency, 9 Mbit/s` : 'loopback'}, assets ${cached ? 'cached for a year' : 'no-store'} (${runs} runs each; first header, ms since navigation, median):`);
    for (const k of ['cold', 'reload']) {
      console.log(`  ${k.padEnd(6)} ours ${m('ours', k).toFixed(1)}, theirs ${m('theirs', k).toFixed(1)}: ${(m('ours', k) / m('theirs', k)).toFixed(3)}×`);
    }
  }
} finally {
  await stopBrowser?.().catch(() => {});
  await emulator?.stop();
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}

/** A cold start in a fresh context, then a reload of the same page (tokens stored by the first). */
async function coldThenReload(browser, url, latency) {
  const { context, page } = await freshPage(browser, latency);
  try {
    const cold = (await loadAndWait(page, url)).first;
    await page.reload({ waitUntil: 'domcontentloaded' });
    const reload = (await loadAndWait(page)).first;
    return { cold, reload };
  } finally {
    await context.close();
  }
}
