// The app with wix-headless-auth's Vite plugin and an `experimental.renderBuiltUrl` that changes
// the scripts' asset URLs, as CDN setups do (tests/consumers/vite.test.mjs builds it once per
// RENDER_BUILT_URL): `string` (an absolute URL on another host), `relative` (URLs relative to the
// script under an absolute `base`), `runtime` (a URL made by code in the page).
import wixHeadlessAuth from 'wix-headless-auth/vite';

const mode = process.env.RENDER_BUILT_URL;
const forScripts = {
  string: (file) => `https://cdn.example.com/shop/${file}`,
  relative: () => ({ relative: true }),
  runtime: (file) => ({ runtime: `window.cdnUrl(${JSON.stringify(file)})` }),
}[mode];

export default {
  base: '/shop/',
  plugins: [wixHeadlessAuth()],
  build: { outDir: `dist-cdn-${mode}`, rollupOptions: { input: { main: 'index.html', other: 'other.html' } } },
  experimental: { renderBuiltUrl: (file, { hostType }) => (hostType === 'js' ? forScripts(file) : undefined) },
};
