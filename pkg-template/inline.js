// wix-headless-auth/inline: the browser entry for bundlers that do not emit the `.wasm` that
// `new URL(…, import.meta.url)` names (Rollup with only node-resolve, esbuild without a loader):
// the module's bytes travel inside the script (wasm-bytes.js, base64, which the bundler inlines),
// so there is no second file to copy or serve. It costs more bytes than the default entry and
// compiles only once the whole script is in, so it is a separate entry: nobody else downloads it.
import init from './wix_headless_auth.js';
import { wasmBytes } from './wasm-bytes.js';

await init({ module_or_path: wasmBytes() });

export * from './strategy.js';
export { default } from './strategy.js';
