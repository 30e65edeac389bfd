// The .wasm module's bytes, embedded as base64 by scripts/build-pkg (it replaces the placeholder
// below). Used by the Node entry and the `inline` browser entry: a bundler that copies no assets
// (Rollup, esbuild) or rewrites `new URL(…, import.meta.url)` into a path that a deployment may
// move (Next.js) cannot lose a string. Base64 costs a third more bytes than the file, and about as
// much more gzipped (docs/frameworks/bundlers.md has the figures).
const base64 = '__WASM_BASE64__';

/**
 * The module's bytes, decoded natively where the runtime can: `Uint8Array.fromBase64` (browsers
 * since 2025) or Node's Buffer. Only older browsers take atob and a loop over 240,000 characters,
 * which costs a page's first load ~14 ms against ~1 (bench/ANALYSIS.md, "eleventh pass").
 */
export function wasmBytes() {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(base64);
  const { Buffer } = globalThis;
  if (Buffer) return Buffer.from(base64, 'base64');
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
