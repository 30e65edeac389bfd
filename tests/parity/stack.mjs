// What the parity suite runs on: a static server for the page (its origin is the storefront's),
// the emulators (tests/conformance's harness: the real binary, fresh data, free ports), and
// Debian's Chromium through playwright-core.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// toolchain.md: without the background-networking flags Chromium floods the closed network.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

/** The real @wix/sdk package entry (everything it exports), bundled for the browser. */
async function sdkBundle() {
  const out = await build({
    stdin: { contents: "export * from '@wix/sdk';", resolveDir: ROOT, loader: 'js' },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'error',
  });
  return out.outputFiles[0].text;
}

/** Serves the page, the @wix/sdk bundle, the scenarios and pkg/ (our package as built). */
export async function startPageServer() {
  const sdk = await sdkBundle();
  const page = '<!doctype html><meta charset="utf-8"><title>parity</title><body><script type="module" src="/main.js"></script></body>';
  const files = { '/main.js': join(HERE, 'page-main.js'), '/scenarios.page.js': join(HERE, 'scenarios.page.js') };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const send = (status, type, body) => { res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' }); res.end(body); };
    try {
      if (path === '/' || path === '/callback') return send(200, TYPES['.html'], path === '/' ? page : '<!doctype html><body>back</body>');
      if (path === '/sdk.js') return send(200, TYPES['.js'], sdk);
      const file = files[path] ?? (path.startsWith('/pkg/') && join(ROOT, normalize(path).replace(/^(\.\.[/\\])+/, '')));
      if (!file) return send(404, 'text/plain', 'not found');
      return send(200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
    } catch {
      return send(404, 'text/plain', 'not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Chromium with the parity page loaded and ready; `node(op, arg)` answers the page's requests. */
export async function openPage(origin, node) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  const log = [];
  page.on('console', (m) => log.push(`[console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log.push(`[pageerror] ${e.message}`));
  await page.exposeFunction('parityNode', node);
  await page.goto(`${origin}/`);
  try {
    await page.waitForFunction(() => window.parityReady === true, null, { timeout: 20_000 });
  } catch (e) {
    throw new Error(`the parity page did not load: ${e.message}\n${log.join('\n')}`);
  }
  return { browser, page, log };
}
