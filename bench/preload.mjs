// `node bench/preload.mjs [runs] [vite|next|astro ...]` (after scripts/build-pkg): what starting the
// `.wasm` download, and its compiling, with the HTML buys an app of each framework. Each consumer
// fixture (tests/consumers/<app>-app) is built from the packed package three times: without the
// preload (`without`), with the preload link alone (`link`: the module is downloaded early but
// compiled only by the entry), and with the link and the inline script that compiles the module
// from the head (`with`, as the fixture is: Vite, the package's plugin, vite.preload.config.js,
// `{ compile: false }` for `link`; Next.js, React's `preload` and `wix-headless-auth/preload`'s
// script in the page's server component; Astro, both in the page's head). Each build is opened in
// fresh Chromium contexts, alternating, on loopback and then with Chromium's network emulation (60
// ms latency, 9 Mbit/s down: the network between a shopper and a CDN, which this machine does not
// have). Prints medians, in ms since navigation: when the .wasm request started and ended, and
// when the app was ready (`window.app` set: the module compiled, instantiated and the strategy
// made). The frameworks come from npm (its cache, target/consumers/npm-cache, which the consumer
// suite fills; set npm_config_cache to use another); Astro 7 needs Node 22.12+ (ASTRO_NODE names
// one where this Node is older). Next.js and Astro render on the server, so a release emulator
// runs too. Not part of npm test.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './lib/sizes.mjs';
import { installPacked } from './lib/apps.mjs';
import { freshPage, launch } from './lib/browser.mjs';
import { startEmulator } from './lib/emulator.mjs';
import { median } from './lib/stats.mjs';

const runs = Number(process.argv[2] ?? 20);
if (!(Number.isInteger(runs) && runs > 0 && runs <= 500)) throw new Error('runs: a whole number from 1 to 500');
const astroNode = process.env.ASTRO_NODE ?? process.execPath;

/** Removes the lines matching each of `lines` (regular expressions) from the file `dir/file`; throws if one is not there. */
function strip(dir, file, ...lines) {
  const path = join(dir, file);
  let text = readFileSync(path, 'utf8');
  for (const line of lines) {
    if (!line.test(text)) throw new Error(`${file}: ${line} was not found`);
    text = text.replace(line, '');
  }
  writeFileSync(path, text);
}

/** For a fixture whose page has the preload `link` and the compiling `script` (regular expressions
 *  of their lines): what to take out of the `file` of the copy `variant`. */
const stripper = (file, link, script) => (dir, variant) => {
  if (variant === 'link') strip(dir, file, script);
  if (variant === 'without') strip(dir, file, link, script);
};

// Per framework: the packages it needs, where the shared page code goes, how to take the preload
// or the script out, and how to build and serve one copy. `variant` says which copy is being made:
// `without`, `link` or `with`.
const VARIANTS = ['without', 'link', 'with'];
const APPS = {
  vite: {
    packages: ['vite@8'],
    shared: '.',
    strip: () => {},
    config: (variant) => (variant === 'without' ? [] : ['--config', 'vite.preload.config.js']),
    env: (variant) => ({ ...process.env, PRELOAD_COMPILE: String(variant !== 'link') }),
    build(dir, work, variant) { execFileSync(join(work, 'node_modules/.bin/vite'), ['build', ...this.config(variant)], { cwd: dir, stdio: 'pipe', env: this.env(variant) }); },
    serve(dir, work, variant, port) {
      return spawn(join(work, 'node_modules/.bin/vite'), ['preview', ...this.config(variant), '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: dir, stdio: 'ignore', env: this.env(variant) });
    },
  },
  next: {
    packages: ['next@16.4.6', 'react@19', 'react-dom@19'],
    shared: 'app',
    strip: stripper('app/page.js', /^ *preload\(wasm\.href.*\n/m, /^ *<script dangerouslySetInnerHTML.*\n/m),
    build(dir, work) { execFileSync(join(work, 'node_modules/.bin/next'), ['build'], { cwd: dir, stdio: 'pipe', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } }); },
    serve(dir, work, _variant, port, emulator) {
      return spawn(join(work, 'node_modules/.bin/next'), ['start', '-H', '127.0.0.1', '-p', String(port)], { cwd: dir, stdio: 'ignore', env: { ...process.env, EMULATOR_URL: emulator } });
    },
  },
  astro: {
    packages: ['astro@7.3.5', '@astrojs/node@11'],
    shared: 'src',
    strip: stripper('src/pages/index.astro', /^ *<link rel="preload".*\n/m, /^ *<script is:inline set:html.*\n/m),
    build(dir, work) { execFileSync(astroNode, [join(work, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: dir, stdio: 'pipe', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } }); },
    serve(dir, _work, _variant, port, emulator) {
      return spawn(astroNode, [join(dir, 'dist/server/entry.mjs')], { cwd: dir, stdio: 'ignore', env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), EMULATOR_URL: emulator } });
    },
  },
};

const chosen = process.argv.slice(3);
for (const name of chosen) if (!APPS[name]) throw new Error(`unknown app ${name}: one of ${Object.keys(APPS).join(', ')}`);
const apps = chosen.length ? chosen : Object.keys(APPS);
const work = mkdtempSync(join(tmpdir(), 'preload-probe-'));
const servers = [];
let emulator;
let browser;
let stopBrowser;
try {
  installPacked(work, apps.flatMap((a) => APPS[a].packages));
  const ports = {};
  for (const app of apps) for (const v of VARIANTS) ports[`${app}-${v}`] = await freePort();
  emulator = await startEmulator(['--db', ':memory:', ...Object.values(ports).flatMap((p) => ['--allowed-origin', `http://127.0.0.1:${p}`])]);
  const origins = {};
  for (const app of apps) {
    for (const variant of VARIANTS) {
      const name = `${app}-${variant}`;
      const dir = join(work, name);
      cpSync(join(ROOT, `tests/consumers/${app}-app`), dir, { recursive: true });
      for (const f of ['page-api.js', 'fingerprint.js']) cpSync(join(ROOT, 'tests/consumers/shared', f), join(dir, APPS[app].shared, f));
      writeFileSync(join(dir, 'package.json'), `{"name":"${name}","private":true,"type":"module"}`);
      APPS[app].strip(dir, variant);
      APPS[app].build(dir, work, variant);
      servers.push(APPS[app].serve(dir, work, variant, ports[name], emulator.url));
      origins[name] = `http://127.0.0.1:${ports[name]}/`;
    }
  }
  await waitFor(Object.values(origins));
  ({ browser, stop: stopBrowser } = await launch());

  for (const app of apps) {
    for (const latency of [0, 60]) {
      const names = VARIANTS.map((v) => `${app}-${v}`);
      const out = Object.fromEntries(names.map((k) => [k, []]));
      for (let i = 0; i < runs; i++) {
        for (const name of i % 2 ? names : [...names].reverse()) out[name].push(await openOnce(browser, origins[name], latency));
      }
      console.log(`${app}, ${latency ? `${latency} ms latency, 9 Mbit/s` : 'loopback'} (${runs} runs each, medians, ms since navigation):`);
      for (const [name, rows] of Object.entries(out)) {
        const m = (k) => median(rows.map((r) => r[k])).toFixed(1);
        console.log(`  ${name.padEnd(14)} .wasm requested ${m('wasmStart')}, downloaded ${m('wasmEnd')}, app ready ${m('ready')}; .wasm downloads per page: ${[...new Set(rows.map((r) => r.wasmLoads))].join('/')}`);
      }
    }
  }
} finally {
  await stopBrowser?.().catch(() => {});
  for (const s of servers) s.kill();
  await emulator?.stop();
  rmSync(work, { recursive: true, force: true });
}

/** One page load in a fresh context: when the .wasm was requested and arrived, when `window.app` was set. */
async function openOnce(b, url, latency) {
  const { context, page } = await freshPage(b, latency);
  try {
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

/** A loopback port nothing listens on now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits (bounded, 60 s: a server render's first answer) until every URL answers. */
async function waitFor(urls) {
  const until = Date.now() + 60_000;
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
