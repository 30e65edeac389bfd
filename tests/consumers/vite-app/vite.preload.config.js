// The same app with wix-headless-auth's Vite plugin (tests/consumers/vite.test.mjs builds it with
// `--config vite.preload.config.js`): two pages, only index.html loads the package.
// PRELOAD_COMPILE=false builds it with `{ compile: false }` (the preload link alone) into dist-link.
import wixHeadlessAuth from 'wix-headless-auth/vite';

const compile = process.env.PRELOAD_COMPILE !== 'false';

export default {
  plugins: [wixHeadlessAuth({ compile })],
  build: { outDir: compile ? 'dist-preload' : 'dist-link', rollupOptions: { input: { main: 'index.html', other: 'other.html' } } },
};
