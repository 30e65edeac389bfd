// wix-headless-auth for the Edge runtime (Next.js route handlers with `runtime = 'edge'`,
// Vercel Edge Functions), chosen by the `edge-light` condition of package.json's `exports`. That
// runtime forbids compiling WebAssembly from bytes (no `WebAssembly.compile`, so neither the
// browser entry's fetch nor the Node entry's embedded bytes work there); its bundlers hand over a
// compiled `WebAssembly.Module` for a `.wasm?module` import instead. That module comes from
// another realm than the sandbox's `WebAssembly`, so it is instantiated through init (which
// accepts it) rather than initSync (whose `instanceof WebAssembly.Module` check rejects it).
// Tokens live in memory or a cookie (wix-headless-auth/cookie), as on any server.
import module from './wix_headless_auth_bg.wasm?module';
import init from './wix_headless_auth.js';

await init({ module_or_path: module });

export * from './strategy.js';
export { default } from './strategy.js';
