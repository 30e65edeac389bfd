// The first code of the browser entry: index.js imports it before anything else (the bundle keeps
// that order), so the .wasm request goes out before the rest of the bundle is evaluated. init gets
// the pending Response, so the module is still compiled while it streams in. `new URL(…,
// import.meta.url)` is the pattern bundlers (Vite, webpack 5, Rollup) recognise and rewrite to the
// emitted asset's URL, so no plugin is needed. Not part of the Node entry.
const url = new URL('./wix_headless_auth_bg.wasm', import.meta.url);

// A page built with wix-headless-auth/vite has already started downloading AND compiling the
// module in its <head>, before this script had arrived (vite.js says how): that module is taken
// as it is. Anything else under the name (nothing, a failed compile, a page's own value) leaves
// the fetch to this script, as without the plugin.
const early = globalThis[Symbol.for('wix-headless-auth.wasm')];
export const wasm = early instanceof Promise
  ? early.then((module) => (module instanceof WebAssembly.Module ? module : fetch(url)), () => fetch(url))
  : fetch(url);
