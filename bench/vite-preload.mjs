// `node bench/vite-preload.mjs [runs]` (after scripts/build-pkg): what `wix-headless-auth/vite`
// buys a Vite app. The consumer fixture (tests/consumers/vite-app) is built from the packed
// package twice, without the plugin and with it (vite.preload.config.js), and each build is
// opened in fresh Chromium contexts, alternating, on loopback and then with Chromium's network
// emulation (60 ms latency, 9 Mbit/s down: the network between a shopper and a CDN, which this
// machine does not have). Prints medians, in ms since navigation: when the .wasm request started
// and ended, and when the app was ready (`window.app` set, i.e. the module compiled, instantiated
// and the strategy made). Vite comes from npm's cache (target/consumers/npm-cache, which the
// consumer suite fills; set npm_config_cache to use another). Not part of npm test.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/sizes.mjs';
import { launch } from './lib/browser.mjs';
import { median } from './lib/stats.mjs';

const runs = Number(process.argv[2] ?? 20);
if (!(Number.isInteger(runs) && runs > 0 && runs <= 500)) throw new Error('runs: a whole number from 1 to 500');
const work = mkdtempSync(join(tmpdir(), 'vite-preload-'));
const app = join(work, 'vite-app');
const servers = [];
let browser;
let stopBrowser;
try {
  cpSync(join(ROOT, 'tests/consumers/vite-app'), app, { recursive: true });
  for (const f of ['page-api.js', 'fingerprint.js']) cpSync(join(ROOT, 'tests/consumers/shared', f), join(app, f));
  writeFileSync(join(work, 'package.json'), '{"name":"vite-preload-probe","private":true,"type":"module"}');
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: join(ROOT, 'pkg'), encoding: 'utf8' }).trim().split('\n').pop();
  const env = { ...process.env, npm_config_cache: process.env.npm_config_cache ?? join(ROOT, 'target/consumers/npm-cache') };
  try {
    execFileSync('npm', ['install', '--offline', '--silent', '--no-audit', '--no-fund', join(work, tarball), 'vite@8'], { cwd: work, env, stdio: 'pipe' });
  } catch (e) {
    throw new Error(`npm could not install vite@8 from its cache (${env.npm_config_cache}): run the consumer suite once (scripts/test.d/70-consumers.sh)\n${e.stderr}`);
  }
  const vite = join(work, 'node_modules/.bin/vite');
  execFileSync(vite, ['build'], { cwd: app, stdio: 'pipe' });
  execFileSync(vite, ['build', '--config', 'vite.preload.config.js'], { cwd: app, stdio: 'pipe' });

  const free = () => Number(execFileSync(process.execPath, ['-e', 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'], { encoding: 'utf8' }));
  const builds = { plain: [], preload: ['--config', 'vite.preload.config.js'] };
  const origins = {};
  for (const [name, config] of Object.entries(builds)) {
    const port = free();
    servers.push(spawn(vite, ['preview', ...config, '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--bypass-lock'], { cwd: app, stdio: 'ignore' }));
    origins[name] = `http://127.0.0.1:${port}/`;
  }
  await waitFor(Object.values(origins));
  ({ browser, stop: stopBrowser } = await launch());

  for (const latency of [0, 60]) {
    const out = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));
    for (let i = 0; i < runs; i++) {
      const order = i % 2 ? Object.keys(builds) : Object.keys(builds).reverse();
      for (const name of order) out[name].push(await openOnce(browser, origins[name], latency));
    }
    console.log(`${latency ? `${latency} ms latency, 9 Mbit/s` : 'loopback'} (${runs} runs each, medians, ms since navigation):`);
    for (const [name, rows] of Object.entries(out)) {
      const m = (k) => median(rows.map((r) => r[k])).toFixed(1);
      console.log(`  ${name.padEnd(8)} .wasm requested ${m('wasmStart')}, downloaded ${m('wasmEnd')}, app ready ${m('ready')}; .wasm downloads per page: ${[...new Set(rows.map((r) => r.wasmLoads))].join('/')}`);
    }
  }
} finally {
  await stopBrowser?.().catch(() => {});
  for (const s of servers) s.kill();
  rmSync(work, { recursive: true, force: true });
}

/** One page load in a fresh context: when the .wasm was requested and arrived, when `window.app` was set. */
async function openOnce(b, url, latency) {
  const context = await b.newContext();
  try {
    const page = await context.newPage();
    if (latency) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: 9e6 / 8, uploadThroughput: 1.5e6 / 8 });
    }
    await page.addInitScript(() => {
      Object.defineProperty(window, 'app', {
        configurable: true,
        set(v) {
          Object.defineProperty(window, 'app', { value: v, writable: true, configurable: true });
          window.__appAt = performance.now();
        },
      });
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__appAt, null, { timeout: 20_000 });
    return await page.evaluate(() => {
      const wasm = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm'));
      return { ready: window.__appAt, wasmStart: wasm[0].startTime, wasmEnd: wasm[0].responseEnd, wasmLoads: wasm.length };
    });
  } finally {
    await context.close();
  }
}

/** Waits (bounded, 20 s) until every URL answers. */
async function waitFor(urls) {
  const until = Date.now() + 20_000;
  for (const url of urls) {
    for (;;) {
      try {
        if ((await fetch(url)).ok) break;
      } catch {}
      if (Date.now() > until) throw new Error(`${url} did not answer`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
