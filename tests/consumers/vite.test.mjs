// Consumer: a Vite app (./vite-app, in $APPS_DIR beside the others, sharing their one install) built and served by
// `vite preview`, and served by the dev server, and the same main.js in a plain page (plain.html:
// an import map, no bundler) served as static files, each driven in headless Chromium: a visitor
// token, then a member through login + direct login.
// Run from the repository root (for playwright-core):
//   APPS_DIR=… EMULATOR_URL=… PREVIEW_PORT=… DEV_PORT=… PLAIN_PORT=… PRELOAD_PORT=… node --test tests/consumers/vite.test.mjs
// The emulator must allow the origins http://127.0.0.1:$PREVIEW_PORT, …:$DEV_PORT, …:$PLAIN_PORT
// and …:$PRELOAD_PORT. The last test builds the app again with the package's Vite plugin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, headCompile, open, preloadedOnce, serve, visitorThenMember, withEmulator } from './lib/browser.mjs';

const { APPS_DIR, PREVIEW_PORT, DEV_PORT, PLAIN_PORT, PRELOAD_PORT } = process.env;
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
  // --force: Vite's dependency cache (vite-app/node_modules/.vite) may hold an earlier install
  // of the package when this driver is re-run in the same apps folder; the page then never loads.
  await serve(vite, ['--host', '127.0.0.1', '--port', DEV_PORT, '--strictPort', '--force'], origin, { cwd: dir });
  const { page, errors } = await open(withEmulator(origin));
  const visitor = await page.evaluate(() => window.app.headers());
  assert.equal(visitor.role, 'visitor');
  assert.ok(visitor.authorization.length > 10);
  assert.deepEqual(errors, []);
});

test('wix-headless-auth/vite: the pages that load the package start the .wasm download and compile with the HTML, once', async () => {
  build(vite, ['build', '--config', 'vite.preload.config.js'], dir);
  const out = join(dir, 'dist-preload');
  const [wasm, ...more] = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.wasm'));
  assert.ok(wasm && more.length === 0, 'one .wasm asset');
  const link = (href) => `<link rel="preload" as="fetch" type="application/wasm" crossorigin href="${href}">`;
  // The inline script that compiles the module from the page's head fetches the link's URL.
  const compiles = (html, href) => html.includes(link(href)) && html.includes(`WebAssembly.compileStreaming(fetch(${JSON.stringify(href)}))`);
  assert.ok(compiles(readFileSync(join(out, 'index.html'), 'utf8'), `/assets/${wasm}`), 'index.html preloads and compiles the module');
  assert.ok(!readFileSync(join(out, 'other.html'), 'utf8').includes('.wasm'), 'a page without the package preloads nothing');
  // A relative base (an app served from any folder): the link is relative to the page, as Vite's own tags are.
  build(vite, ['build', '--config', 'vite.preload.config.js', '--base', './', '--outDir', 'dist-relative'], dir);
  assert.ok(compiles(readFileSync(join(dir, 'dist-relative/index.html'), 'utf8'), `assets/${wasm}`), 'a relative link');
  // `{ compile: false }` (a Content-Security-Policy without inline scripts): the link alone.
  build(vite, ['build', '--config', 'vite.preload.config.js'], dir, { PRELOAD_COMPILE: 'false' });
  const linkOnly = readFileSync(join(dir, 'dist-link/index.html'), 'utf8');
  assert.ok(linkOnly.includes(link(`/assets/${wasm}`)) && !linkOnly.includes('compileStreaming'), 'the link, no script');

  // An app whose scripts get their asset URLs from `renderBuiltUrl` (a CDN): the link is the URL
  // the script fetches, or there is none (no second download) when only the page's code knows it.
  const cdn = (mode) => {
    build(vite, ['build', '--config', 'vite.cdn.config.js'], dir, { RENDER_BUILT_URL: mode });
    const out = join(dir, `dist-cdn-${mode}`);
    const script = readdirSync(join(out, 'assets')).find((f) => /^main-.*\.js$/.test(f));
    return { html: readFileSync(join(out, 'index.html'), 'utf8'), script: readFileSync(join(out, 'assets', script), 'utf8') };
  };
  const onCdn = cdn('string');
  assert.ok(onCdn.script.includes(`https://cdn.example.com/shop/assets/${wasm}`), 'the script fetches the .wasm from the CDN');
  assert.ok(compiles(onCdn.html, `https://cdn.example.com/shop/assets/${wasm}`), 'the link and the script name the CDN URL');
  assert.ok(compiles(cdn('relative').html, `assets/${wasm}`), 'relative to the script: the link is relative to the page');
  assert.ok(!cdn('runtime').html.includes('.wasm'), 'a URL made at run time: no link');

  // In Chromium: the app works, the module is downloaded once (the head's script takes the
  // preloaded response), that download began before the page's script had even arrived, and the
  // module the head compiled is the one the entry used (had the entry fetched its own, there
  // would be two downloads).
  const origin = `http://127.0.0.1:${PRELOAD_PORT}`;
  // Vite 8 refuses a second `vite preview` of one project (the test above runs one) unless told.
  await serve(vite, ['preview', '--config', 'vite.preload.config.js', '--host', '127.0.0.1', '--port', PRELOAD_PORT, '--strictPort', '--bypass-lock'], origin, { cwd: dir });
  const opened = await open(withEmulator(origin));
  assert.equal(await preloadedOnce(opened, /\/assets\/main-[^/]*\.js$/), `/assets/${wasm}`);
  assert.equal(await headCompile(opened), '[object WebAssembly.Module]');
  await visitorThenMember(opened, 'vite-preload');

  // When the head's compile fails, the entry fetches and compiles the module itself. Here the
  // server sends the .wasm with a wrong Content-Type (a misconfigured host), which
  // `compileStreaming` refuses: the member is still signed in after the reload, with no page error.
  let wasmRequests = 0;
  await opened.page.route(/\.wasm$/, async (route) => {
    wasmRequests++;
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await opened.page.reload();
  await opened.page.waitForFunction(() => window.app, null, { timeout: 30_000 });
  assert.equal(await headCompile(opened), 'null');
  assert.ok(wasmRequests >= 2, `the head's download, then the entry's own: ${wasmRequests}`);
  assert.equal(await opened.page.evaluate(() => window.app.loggedIn()), true);
  assert.deepEqual(opened.errors, []);

  // A module compiled from another URL (a stale page naming another build's file, a second copy
  // of the package) is never instantiated against this entry's glue: here the head's script is
  // pointed at another file, which holds an empty module; the entry fetches its own, and the
  // member is still signed in.
  await opened.page.unroute(/\.wasm$/);
  const own = JSON.stringify(`/assets/${wasm}`);
  const other = `/assets/${wasm}?another-build`;
  let otherRequests = 0;
  await opened.page.route((u) => u.pathname + u.search === other, (route) => {
    otherRequests++;
    return route.fulfill({ contentType: 'application/wasm', body: Buffer.from('0061736d01000000', 'hex') });
  });
  await opened.page.route((u) => u.pathname === '/', async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    assert.equal(html.split(`(${own}`).length, 3, 'the head script names the module twice (its URL, its fetch)');
    await route.fulfill({ response, body: html.replaceAll(`(${own}`, `(${JSON.stringify(other)}`) });
  });
  await opened.page.reload();
  await opened.page.waitForFunction(() => window.app, null, { timeout: 30_000 });
  assert.equal(otherRequests, 1, 'the head compiled the other file');
  assert.equal(await headCompile(opened), '[object WebAssembly.Module]');
  assert.equal(await opened.page.evaluate(() => window.app.loggedIn()), true);
  assert.deepEqual(opened.errors, []);

  // A value under the name that throws when read (a broken or hostile script of the page's) is
  // ignored too: the entry fetches its own module.
  await opened.page.unrouteAll();
  await opened.page.addInitScript(() => Object.defineProperty(self, Symbol.for('wix-headless-auth.wasm'), { get() { throw new Error('hostile'); } }));
  await opened.page.reload();
  await opened.page.waitForFunction(() => window.app, null, { timeout: 30_000 });
  assert.equal(await opened.page.evaluate(() => window.app.loggedIn()), true);
  assert.deepEqual(opened.errors, []);

  // The head's script and the entry open the Web Locks manager, and the entry opens localStorage
  // while it downloads the .wasm itself (preload.js, start.js; here it does, as the throwing getter
  // above is still installed). A page whose storage is refused (blocked site data: a SecurityError)
  // and whose lock manager refuses queries loads all the same, with no page error and no unhandled
  // rejection; the strategy keeps its tokens in memory and still gets a header.
  let queried = 0;
  await opened.page.exposeFunction('__queried', () => { queried++; });
  await opened.page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
    LockManager.prototype.query = () => { window.__queried(); return Promise.reject(new DOMException('refused', 'SecurityError')); };
  });
  await opened.page.reload();
  await opened.page.waitForFunction(() => window.app, null, { timeout: 30_000 });
  const refused = await opened.page.evaluate(() => window.app.headers());
  assert.equal(refused.storage, 'memory');
  assert.match(refused.authorization, /./);
  assert.equal(queried, 2, 'the head script and the entry each asked the lock manager once');
  assert.deepEqual(opened.errors, []);
});
