import type { Plugin } from 'vite';

/**
 * A Vite plugin that adds `<link rel="preload" as="fetch" type="application/wasm" crossorigin>`
 * for the package's `.wasm` to each built HTML page whose script loads it, so the download starts
 * with the page instead of after the script: `plugins: [wixHeadlessAuth()]`. `vite build` only.
 */
export default function wixHeadlessAuth(): Plugin;
