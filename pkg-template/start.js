// The first code of the browser entry: index.js imports it before anything else (the bundle keeps
// that order), so the .wasm request goes out before the rest of the bundle is evaluated. init gets
// the pending Response, so the module is still compiled while it streams in. `new URL(…,
// import.meta.url)` is the pattern bundlers (Vite, webpack 5, Rollup) recognise and rewrite to the
// emitted asset's URL, so no plugin is needed. Not part of the Node entry.
export const wasm = fetch(new URL('./wix_headless_auth_bg.wasm', import.meta.url));
