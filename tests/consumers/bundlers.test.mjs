// Consumers: the same browser app (vite-app/main.js) built by webpack 5 and Parcel with the
// default entry, and by Rollup (node-resolve only) and esbuild with `wix-headless-auth/inline`,
// each with no configuration file and no plugin for the package, served as static files and
// driven in headless Chromium: a visitor, then a member by login + direct login, kept across a
// reload, with no failed request (a .wasm the bundler did not emit would be a 404).
// Run from the repository root: APPS_DIR=… EMULATOR_URL=… WEBPACK_PORT=… PARCEL_PORT=…
//   ROLLUP_PORT=… ESBUILD_PORT=… node --test tests/consumers/bundlers.test.mjs
// (70-consumers.sh prepares the apps in $APPS_DIR and lets the emulator allow their origins).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, open, serve, visitorThenMember, withEmulator } from './lib/browser.mjs';

const { APPS_DIR } = process.env;
const bin = (name) => join(APPS_DIR, 'node_modules/.bin', name);
const staticServer = new URL('../../scripts/serve-static.mjs', import.meta.url).pathname;

const bundlers = [
  // webpack with no config: ./src/index.js → ./dist/main.js (mode defaults to production).
  { name: 'webpack', port: process.env.WEBPACK_PORT, wasm: true, build: [bin('webpack'), []] },
  { name: 'parcel', port: process.env.PARCEL_PORT, wasm: true,
    build: [bin('parcel'), ['build', 'index.html', '--dist-dir', 'dist', '--no-autoinstall', '--no-source-maps']] },
  { name: 'rollup', port: process.env.ROLLUP_PORT, wasm: false,
    build: [bin('rollup'), ['main.js', '--plugin', 'node-resolve', '--format', 'es', '--dir', 'dist']] },
  { name: 'esbuild', port: process.env.ESBUILD_PORT, wasm: false,
    build: [bin('esbuild'), ['main.js', '--bundle', '--format=esm', '--outdir=dist', '--log-level=warning']] },
];

for (const { name, port, wasm, build: [command, args] } of bundlers) {
  test(`${name}: builds with no config, then a visitor and a member in Chromium`, async () => {
    const dir = join(APPS_DIR, `${name}-app`);
    build(command, args, dir);
    // Parcel writes the page itself; the others get the page copied next to their bundle.
    if (name !== 'parcel') copyFileSync(join(dir, 'index.html'), join(dir, 'dist/index.html'));
    const files = readdirSync(join(dir, 'dist'), { recursive: true }).map(String);
    assert.equal(files.some((f) => f.endsWith('.wasm')), wasm,
      wasm ? `the bundler emitted no .wasm: ${files}` : `the inline entry needs no .wasm: ${files}`);
    const origin = `http://127.0.0.1:${port}`;
    const server = await serve(process.execPath, [staticServer, '--host', '127.0.0.1', '--port', port, '--root', join(dir, 'dist')], `${origin}/index.html`);
    await visitorThenMember(await open(withEmulator(`${origin}/index.html`)), name);
    await server.stop();
  });
}
