// Consumer: a Vite app (./vite-app, copied into a fresh directory with the packed package and
// Vite installed) built and served by `vite preview`, and served by the dev server, and the same
// main.js in a plain page (plain.html: an import map, no bundler) served as static files, each
// driven in headless Chromium: a visitor token, then a member through login + direct login.
// Run from the repository root (for playwright-core):
//   FIXTURE_DIR=… EMULATOR_URL=… PREVIEW_PORT=… DEV_PORT=… PLAIN_PORT=… node --test tests/consumers/vite.test.mjs
// The emulator must allow the origins http://127.0.0.1:$PREVIEW_PORT, …:$DEV_PORT and …:$PLAIN_PORT.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const { chromium } = await import(process.env.PLAYWRIGHT_CORE ?? 'playwright-core');
const { FIXTURE_DIR: dir, EMULATOR_URL: emulator, PREVIEW_PORT, DEV_PORT, PLAIN_PORT } = process.env;
const vite = join(dir, 'node_modules/.bin/vite');
const children = [];
let browser;
after(async () => {
  await browser?.close();
  for (const child of children) child.kill();
});

/** Runs `vite ARGS` (or another `[command, ...args]`) in the fixture; resolves once `url` answers. */
async function serve(args, url, command = vite) {
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) break;
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${command} ${args[0]} did not serve ${url}:\n${log}`);
}

/** A page of the app at `origin`, its errors collected. */
async function open(origin, path = '/') {
  browser ??= await chromium.launch({
    executablePath: execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await (await browser.newContext()).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Chromium logs failed loads without their URL: record those from the responses instead.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') errors.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${origin}${path}?emulator=${encodeURIComponent(emulator)}`);
  await page.waitForFunction(() => window.app, null, { timeout: 20_000 });
  return { page, errors };
}

test('vite build emits the wasm as an asset', () => {
  execFileSync(vite, ['build'], { cwd: dir, stdio: 'pipe' });
  const assets = readdirSync(join(dir, 'dist/assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `no .wasm among ${assets}`);
});

test('vite preview: a visitor, then a member by login + direct login, kept across a reload', async () => {
  const origin = `http://127.0.0.1:${PREVIEW_PORT}`;
  await serve(['preview', '--host', '127.0.0.1', '--port', PREVIEW_PORT, '--strictPort'], origin);
  await visitorThenMember(await open(origin), 'vite');
});

test('plain <script type="module"> page: the same flow from the installed files, no bundler', async () => {
  const origin = `http://127.0.0.1:${PLAIN_PORT}`;
  const server = new URL('../../scripts/serve-static.mjs', import.meta.url).pathname;
  const pkg = join(dir, 'node_modules/wix-headless-auth');
  await serve([server, '--host', '127.0.0.1', '--port', PLAIN_PORT, '--root', dir, '--pkg', pkg], `${origin}/plain.html`, process.execPath);
  await visitorThenMember(await open(origin, '/plain.html'), 'plain');
});

/** A visitor, a new member signed in by login + direct login, still signed in after a reload. */
async function visitorThenMember({ page, errors }, name) {
  const visitor = await page.evaluate(() => window.app.headers());
  assert.equal(visitor.role, 'visitor');
  assert.equal(visitor.storage, 'local');
  assert.ok(visitor.authorization.length > 10);

  const email = `${name}-${Date.now()}@example.com`;
  assert.equal(await page.evaluate(([e]) => window.app.register(e, 'correct horse 4'), [email]), 'SUCCESS');
  const signedIn = await page.evaluate(([e]) => window.app.signIn(e, 'correct horse 4'), [email]);
  assert.deepEqual(signedIn, { loginState: 'SUCCESS', role: 'member', loggedIn: true });
  assert.deepEqual(await page.evaluate(() => window.app.me()), { status: 200, email });

  await page.reload();
  await page.waitForFunction(() => window.app, null, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => window.app.loggedIn()), true, 'localStorage kept the member');
  assert.deepEqual(await page.evaluate(() => window.app.me()), { status: 200, email });
  assert.deepEqual(errors, []);
}

test('vite dev server: the package loads and mints a visitor', async () => {
  const origin = `http://127.0.0.1:${DEV_PORT}`;
  await serve(['--host', '127.0.0.1', '--port', DEV_PORT, '--strictPort'], origin);
  const { page, errors } = await open(origin);
  const visitor = await page.evaluate(() => window.app.headers());
  assert.equal(visitor.role, 'visitor');
  assert.ok(visitor.authorization.length > 10);
  assert.deepEqual(errors, []);
});
