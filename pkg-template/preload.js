// `wix-headless-auth/preload`: the inline script that compiles the package's `.wasm` from a page's
// <head>, for server-rendered pages (Astro, Next.js, any HTML the app writes); the Vite plugin
// writes the same script into the pages it builds. No wasm here: it is imported by server code.
//
// The package's browser entry (start.js) looks under `Symbol.for(EARLY)` for a pending compile
// (`{ url, module }`: the absolute URL compiled and the promise of its module) before it fetches
// the module itself, and takes it only when `url` is the URL it would fetch: a module of another
// build or version (another hashed file) is never instantiated against this entry's glue. A page
// that starts the compile in its <head> therefore has the module compiling while its own scripts
// download, instead of after they ran; the script's `fetch` takes the response of the page's
// `<link rel="preload" as="fetch" crossorigin>` when there is one (one download). The script must
// come before the page's own scripts: an entry that runs first fetches and compiles its own
// module, and the script's compile is wasted.

/** The `Symbol.for` key the script writes and the browser entry reads. */
export const EARLY = 'wix-headless-auth.wasm';

// The engine asks for a Web Lock before minting a visitor (one visitor for all tabs), and a page's
// first lock waits while the browser sets up the page's lock manager. On a page that compiled the
// module from its head, the first call comes soon after the entry runs, too soon for the entry's
// own early query (start.js) to have done that. So the script asks first, with a query that takes
// nothing; a refusal or a browser without Web Locks changes nothing. bench/ANALYSIS.md, "ninth
// pass", has what it is worth.
const OPEN_LOCKS = 'try{navigator.locks.query().catch(()=>{})}catch{}';

/**
 * The script's text (no `<script>` tags), for the `.wasm` at `href` (the URL the page's bundle
 * fetches it at; a string or a `URL`). A failed compile (a host serving the file with another
 * `Content-Type`, the network) leaves `null`, with no unhandled rejection, and the entry fetches
 * the module itself; browsers without `compileStreaming` skip it, and a URL the page cannot parse
 * leaves nothing (no page error either way). `href` is resolved as `fetch` resolves it (against the
 * document's base URL). `<` is escaped, so no URL can end the script. The script also opens the
 * page's Web Locks manager (`navigator.locks.query()`), so that the first call's lock is not kept
 * waiting for it.
 */
export function compileScript(href) {
  if (href instanceof URL) href = href.href;
  if (typeof href !== 'string' || href === '') throw new TypeError('compileScript(href): href must be the .wasm URL, a non-empty string or a URL');
  const src = JSON.stringify(href).replace(/</g, '\\u003c');
  const key = JSON.stringify(EARLY);
  return `try{self.WebAssembly&&WebAssembly.compileStreaming&&(self[Symbol.for(${key})]={url:new URL(${src},document.baseURI).href,module:WebAssembly.compileStreaming(fetch(${src})).catch(()=>null)})}catch{}${OPEN_LOCKS}`;
}
