// Consumer: an Astro app (./astro-app: a server-rendered page with a client script, an API route;
// the Node adapter, which Astro needs for any server rendering) built by `astro build`, served by
// the adapter's standalone server and driven over HTTP and in headless Chromium. Astro 7 needs
// Node 22.12+: ASTRO_NODE names that binary (70-consumers.sh installs one where the system's is older).
// Run from the repository root: APPS_DIR=… EMULATOR_URL=… ASTRO_PORT=… [ASTRO_NODE=…]
//   node --test tests/consumers/astro.test.mjs
// The emulator must allow http://127.0.0.1:$ASTRO_PORT (direct login).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { build, headCompile, open, preloadedOnce, serve } from './lib/browser.mjs';
import { badCookiesReplaced, serverOnly, sessionShared } from './lib/session.mjs';

const { APPS_DIR, ASTRO_PORT, ASTRO_NODE = process.execPath } = process.env;
const dir = join(APPS_DIR, 'astro-app');
const origin = `http://127.0.0.1:${ASTRO_PORT}`;

test('astro build + the Node adapter: API route, server render, page script, one session, the .wasm preloaded', async () => {
  build(ASTRO_NODE, [join(APPS_DIR, 'node_modules/astro/bin/astro.mjs'), 'build'], dir, { ASTRO_TELEMETRY_DISABLED: '1' });
  const server = await serve(ASTRO_NODE, [join(dir, 'dist/server/entry.mjs')], `${origin}/api/session`,
    { cwd: dir, env: { HOST: '127.0.0.1', PORT: ASTRO_PORT } });
  await serverOnly(origin);
  await badCookiesReplaced(origin);
  await sessionShared(origin, 'astro');
  // The page's preload link (a `?url` import of the package's .wasm in its frontmatter) names the
  // file the page's script fetches: one download, begun before the script had arrived. The head's
  // script (`wix-headless-auth/preload`) compiled it, and the entry took that module (had the
  // entry fetched its own, there would be two downloads).
  const opened = await open(origin);
  await preloadedOnce(opened, /^\/_astro\/.*\.js$/);
  assert.equal(await headCompile(opened), '[object WebAssembly.Module]');
  await opened.context.close();
  await server.stop();
});
