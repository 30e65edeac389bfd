// The first code of the browser entry: index.js imports it before anything else (the bundle keeps
// that order), so the .wasm request goes out before the rest of the bundle is evaluated. init gets
// the pending Response, so the module is still compiled while it streams in. `new URL(…,
// import.meta.url)` is the pattern bundlers (Vite, webpack 5, Rollup) recognise and rewrite to the
// emitted asset's URL, so no plugin is needed. Not part of the Node entry.
import { EARLY } from './preload.js';

const url = new URL('./wix_headless_auth_bg.wasm', import.meta.url);

// A page with preload.js's script in its <head> (the Vite plugin writes it; server-rendered apps
// through `wix-headless-auth/preload`) has already started downloading AND compiling the module,
// before this script had arrived: that module is taken as it is. Anything else under the name
// (nothing, a failed compile, a page's own value) leaves the fetch to this script.
const early = globalThis[Symbol.for(EARLY)];
export const wasm = early instanceof Promise
  ? early.then((module) => (module instanceof WebAssembly.Module ? module : fetch(url)), () => fetch(url))
  : fetch(url);
