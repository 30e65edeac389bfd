// Release smoke test: the wasm-opt'd package from scripts/build-pkg, loaded by a page in headless
// Chromium (Debian's, through playwright-core), completes a visitor flow against a live emulator.
// Usage: node tests/smoke/run.mjs <emulator binary>   (from the repository root, after build-pkg)
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, extname } from 'node:path';
import assert from 'node:assert/strict';

const { chromium } = await import(process.env.PLAYWRIGHT_CORE ?? 'playwright-core');
const emulatorBin = process.argv[2];
const root = process.cwd();
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

// Serves the repository's pkg/ and tests/smoke/ only.
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '');
  if (!path.startsWith('pkg/') && !path.startsWith('tests/smoke/')) return res.writeHead(404).end();
  try {
    const body = await readFile(join(root, path));
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const emulator = spawn(emulatorBin, ['--host', '127.0.0.1', '--port', '0', '--db', ':memory:', '--allowed-origin', origin],
  { stdio: ['ignore', 'pipe', 'inherit'] });
const emulatorUrl = await new Promise((resolve, reject) => {
  let out = '';
  emulator.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/listening on (http:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
  emulator.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
});

const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
let browser;
try {
  // Playwright gives each launch a fresh temporary profile.
  browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Failed loads are expected (favicon, the closed port of the network-error check); nothing else.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
  await page.goto(`${origin}/tests/smoke/index.html#${encodeURIComponent(emulatorUrl)}`);
  const result = await page.waitForFunction(() => window.smokeResult, null, { timeout: 30_000 }).then((h) => h.jsonValue());
  assert.equal(result.error, undefined, `page failed: ${result.error}`);
  assert.equal(result.withoutNew, true, 'OAuthStrategy({...}) works');
  assert.equal(result.withNew, true, 'new OAuthStrategy({...}) works');
  assert.equal(result.role, 'visitor');
  assert.ok(result.authorization.length > 10, 'an access token');
  assert.equal(result.sameAfterReload, true, 'a second instance restores the stored tokens');
  assert.equal(result.badOptions, 'AuthError:invalid_argument');
  assert.deepEqual(result.hostileArgs, Array(4).fill('AuthError:invalid_argument'), 'cyclic, deep and revoked arguments');
  assert.equal(result.stillWorks, true, 'the module is usable after them');
  assert.equal(result.networkError, 'AuthError:network_error');
  assert.equal(result.loggedIn, false);
  assert.deepEqual(errors, []);
  const stats = await (await fetch(`${emulatorUrl}/_emulator/stats`)).json();
  assert.equal(stats.grants.anonymous, 1, 'one visitor for two instances');
  console.log('release smoke: ok', JSON.stringify({ role: result.role, grants: stats.grants }));
} finally {
  await browser?.close();
  emulator.kill();
  server.close();
}
