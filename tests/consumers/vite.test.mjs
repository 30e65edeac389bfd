// Consumer: a Vite app (./vite-app, in $APPS_DIR beside the others, sharing their one install) built and served by
// `vite preview`, and served by the dev server, and the same main.js in a plain page (plain.html:
// an import map, no bundler) served as static files, each driven in headless Chromium: a visitor
// token, then a member through login + direct login.
// Run from the repository root (for playwright-core):
//   APPS_DIR=… EMULATOR_URL=… PREVIEW_PORT=… DEV_PORT=… PLAIN_PORT=… node --test tests/consumers/vite.test.mjs
// The emulator must allow the origins http://127.0.0.1:$PREVIEW_PORT, …:$DEV_PORT and …:$PLAIN_PORT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, open, serve, visitorThenMember, withEmulator } from './lib/browser.mjs';

const { APPS_DIR, PREVIEW_PORT, DEV_PORT, PLAIN_PORT } = process.env;
const dir = join(APPS_DIR, 'vite-app');
const vite = join(APPS_DIR, 'node_modules/.bin/vite');

test('vite build emits the wasm as an asset', () => {
  build(vite, ['build'], dir);
  const assets = readdirSync(join(dir, 'dist/assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `no .wasm among ${assets}`);
});

test('vite preview: a visitor, then a member by login + direct login, kept across a reload', async () => {
  const origin = `http://127.0.0.1:${PREVIEW_PORT}`;
  await serve(vite, ['preview', '--host', '127.0.0.1', '--port', PREVIEW_PORT, '--strictPort'], origin, { cwd: dir });
  const visitor = await visitorThenMember(await open(withEmulator(origin)), 'vite');
  assert.equal(visitor.storage, 'local');
});

test('plain <script type="module"> page: the same flow from the installed files, no bundler', async () => {
  const origin = `http://127.0.0.1:${PLAIN_PORT}`;
  const server = new URL('../../scripts/serve-static.mjs', import.meta.url).pathname;
  const pkg = join(APPS_DIR, 'node_modules/wix-headless-auth');
  await serve(process.execPath, [server, '--host', '127.0.0.1', '--port', PLAIN_PORT, '--root', dir, '--pkg', pkg], `${origin}/plain.html`);
  await visitorThenMember(await open(withEmulator(`${origin}/plain.html`)), 'plain');
});

test('vite dev server: the package loads and mints a visitor', async () => {
  const origin = `http://127.0.0.1:${DEV_PORT}`;
  await serve(vite, ['--host', '127.0.0.1', '--port', DEV_PORT, '--strictPort'], origin, { cwd: dir });
  const { page, errors } = await open(withEmulator(origin));
  const visitor = await page.evaluate(() => window.app.headers());
  assert.equal(visitor.role, 'visitor');
  assert.ok(visitor.authorization.length > 10);
  assert.deepEqual(errors, []);
});
