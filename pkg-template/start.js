// The first code of the browser entry: index.js imports it before anything else (the bundle keeps
// that order), so the .wasm request goes out before the rest of the bundle is evaluated. init gets
// the pending Response, so the module is still compiled while it streams in. `new URL(…,
// import.meta.url)` is the pattern bundlers (Vite, webpack 5, Rollup) recognise and rewrite to the
// emitted asset's URL, so no plugin is needed. Not part of the Node entry.
import { EARLY } from './preload.js';

const url = new URL('./wix_headless_auth_bg.wasm', import.meta.url);

// A page with preload.js's script in its <head> (the Vite plugin writes it; server-rendered apps
// through `wix-headless-auth/preload`) has already started downloading AND compiling the module,
// before this script had arrived: that module is taken, if it was compiled from this very URL (a
// module of another build would not fit this glue). Anything else under the name (nothing, another
// URL, a failed compile, a page's own value, even one that throws when read) leaves the fetch to
// this script. The pending compile is awaited inside a promise job, so that not even a `then` of
// its own can throw out of this module.
const pending = early();
export const wasm = pending
  ? Promise.resolve().then(() => pending).then((module) => (module instanceof WebAssembly.Module ? module : fetch(url)), () => fetch(url))
  : fetch(url);

// The first call would otherwise open two browser services on its own path: the Web Locks manager
// (set up in the browser process on a page's first request) and the origin's localStorage
// (Chromium loads the whole area from the browser process, synchronously, on first use). They are
// opened here, with reads that change nothing; where either is missing or refused, the engine
// finds that out itself and nothing is lost. The query is asynchronous and costs this thread
// nothing. The read blocks it, so it is done only while this script's own download of the .wasm
// is on the wire and the thread has nothing else to do; after the head's compile it would only
// delay the module. What each is worth, and how it was measured: bench/ANALYSIS.md, "ninth pass".
try { navigator.locks?.query().catch(() => {}); } catch { /* no Web Locks: the engine goes without */ }
if (!pending) {
  try { void localStorage.length; } catch { /* no storage here: the engine will say so */ }
}

/** The head's pending compile of this module, if there is one. */
function early() {
  try {
    const { url: compiled, module } = globalThis[Symbol.for(EARLY)] ?? {};
    // Resolved as `fetch` resolves it: Turbopack's `new URL(…, import.meta.url)` is a URL-like
    // object whose `href` is a path; the head's script stored an absolute URL.
    const own = new URL(String(url), document.baseURI).href;
    return compiled === own && module instanceof Promise ? module : undefined;
  } catch {
    return undefined;
  }
}
