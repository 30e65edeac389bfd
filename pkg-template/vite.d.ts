import type { Plugin } from 'vite';

/** Options of the plugin. */
export interface WixHeadlessAuthViteOptions {
  /**
   * Also compile the module from the page's `<head>` (an inline script), so that compiling
   * overlaps the app's script. `false` for a Content-Security-Policy without inline scripts: the
   * preload link alone then starts the download. Default `true`.
   */
  compile?: boolean;
}

/**
 * A Vite plugin that starts the package's `.wasm` download with the page, in each built HTML page
 * whose script loads it: `<link rel="preload" as="fetch" type="application/wasm" crossorigin>`,
 * and an inline script that compiles the module as it arrives (the package's entry then takes
 * that module). `plugins: [wixHeadlessAuth()]`. `vite build` only.
 */
export default function wixHeadlessAuth(options?: WixHeadlessAuthViteOptions): Plugin;
