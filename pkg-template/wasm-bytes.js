// The .wasm module's bytes, embedded as base64 by scripts/build-pkg (it replaces the placeholder
// below). Used by the Node entry and the `inline` browser entry: a bundler that copies no assets
// (Rollup, esbuild) or rewrites `new URL(…, import.meta.url)` into a path that a deployment may
// move (Next.js) cannot lose a string. Base64 costs a third more bytes than the file, and about as
// much more gzipped (docs/frameworks/bundlers.md has the figures).
const base64 = '__WASM_BASE64__';

/** The module's bytes: Node's Buffer where there is one (fast), else atob (browsers). */
export function wasmBytes() {
  const { Buffer } = globalThis;
  if (Buffer) return Buffer.from(base64, 'base64');
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
