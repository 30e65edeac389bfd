// Consumer: a Next.js 16 App Router app (./next-app: a proxy, a server component, a client
// component, a route handler, an Edge runtime route handler (Turbopack only, see below); no
// next.config) built with Turbopack and with webpack, each served
// by `next start` and driven over HTTP and in headless Chromium; the Turbopack build is also
// started again after the whole app moved to another folder; and `next dev`.
// Run from the repository root: APPS_DIR=… EMULATOR_URL=… NEXT_PORT=… NEXT_DEV_PORT=…
//   node --test tests/consumers/next.test.mjs
// The emulator must allow http://127.0.0.1:$NEXT_PORT and …:$NEXT_DEV_PORT (direct login).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, headCompile, open, preloadedOnce, serve, visitorsMinted } from './lib/browser.mjs';
import { badCookiesReplaced, serverOnly, sessionShared } from './lib/session.mjs';

const { APPS_DIR, NEXT_PORT, NEXT_DEV_PORT } = process.env;
const env = { NEXT_TELEMETRY_DISABLED: '1' };
const origin = `http://127.0.0.1:${NEXT_PORT}`;
const next = (apps = APPS_DIR) => join(apps, 'node_modules/.bin/next');
const start = (apps = APPS_DIR) =>
  serve(next(apps), ['start', '-H', '127.0.0.1', '-p', NEXT_PORT], `${origin}/api/session`, { cwd: join(apps, 'next-app'), env });

/** The Edge runtime route mints a visitor of its own. */
async function edgeRoute(at) {
  const before = await visitorsMinted();
  const reply = await fetch(`${at}/api/edge`);
  assert.equal(reply.status, 200);
  assert.deepEqual(await reply.json(), { role: 'visitor', header: true });
  // The proxy mints one for the request's cookie, the edge route one in memory.
  assert.equal(await visitorsMinted() - before, 2);
}

/**
 * The page's preload (React's `preload` in the server component, with the URL the bundler gave the
 * .wasm) names the file the client bundle fetches: one download, begun before the chunk that
 * fetches it had arrived. The page's inline script (`wix-headless-auth/preload`) compiled it, and
 * the client component's entry took that module (had it fetched its own, two downloads).
 */
async function wasmPreloaded(dir) {
  const chunks = join(dir, '.next/static/chunks');
  const fetching = readdirSync(chunks, { recursive: true })
    .filter((f) => f.endsWith('.js') && readFileSync(join(chunks, f), 'utf8').includes('wix_headless_auth_bg'))
    .map((f) => `/_next/static/chunks/${f}`);
  assert.equal(fetching.length, 1, `one client chunk fetches the .wasm: ${fetching}`);
  const opened = await open(origin);
  await preloadedOnce(opened, fetching[0]);
  assert.equal(await headCompile(opened), '[object WebAssembly.Module]');
  await opened.context.close();
}

for (const bundler of ['turbopack', 'webpack']) {
  test(`next build (${bundler}) + next start: route handler, server component, client component, one session`, async () => {
    const dir = join(APPS_DIR, 'next-app');
    // Next.js 16.4.6's webpack build fails on ANY Edge runtime route handler, one without this
    // package too (ENOENT …/route_client-reference-manifest.js while collecting page data), so
    // the Edge route is built and checked with Turbopack only.
    if (bundler === 'webpack') rmSync(join(dir, 'app/api/edge'), { recursive: true, force: true });
    build(next(), ['build', bundler === 'webpack' ? '--webpack' : '--turbopack'], dir, env);
    const server = await start();
    await serverOnly(origin);
    if (bundler === 'turbopack') await edgeRoute(origin);
    await badCookiesReplaced(origin);
    await sessionShared(origin, `next-${bundler}`);
    await wasmPreloaded(dir);
    await server.stop();

    if (bundler === 'turbopack') {
      // The built app, moved: nothing in it may point at where it was built.
      const moved = `${APPS_DIR}-moved`;
      renameSync(APPS_DIR, moved);
      try {
        const again = await start(moved);
        await serverOnly(origin);
        await again.stop();
      } finally {
        renameSync(moved, APPS_DIR);
      }
      assert.ok(existsSync(APPS_DIR));
    }
  });
}

test('next dev: the server render and the client component each get a visitor', async () => {
  const devOrigin = `http://127.0.0.1:${NEXT_DEV_PORT}`;
  const server = await serve(next(), ['dev', '-H', '127.0.0.1', '-p', NEXT_DEV_PORT], `${devOrigin}/api/session`,
    { cwd: join(APPS_DIR, 'next-app'), env });
  const { page, errors, context } = await open(devOrigin);
  const rendered = await page.$eval('#server', (el) => ({ ...el.dataset }));
  assert.equal(rendered.role, 'visitor');
  const browser = await page.evaluate(() => window.app.headers());
  assert.equal(browser.visitor, rendered.visitor);
  assert.deepEqual(errors, []);
  await context.close();
  await server.stop();
});
