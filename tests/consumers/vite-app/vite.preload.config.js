// The same app with wix-headless-auth's Vite plugin (tests/consumers/vite.test.mjs builds it with
// `--config vite.preload.config.js`): two pages, only index.html loads the package.
import wixHeadlessAuth from 'wix-headless-auth/vite';

export default {
  plugins: [wixHeadlessAuth()],
  build: { outDir: 'dist-preload', rollupOptions: { input: { main: 'index.html', other: 'other.html' } } },
};
