// Consumer: wix-headless-auth/preload in Node (where server renders import it): the script text
// `compileScript` writes, run against stand-ins for the page's `fetch`, `document`, `navigator`
// and `WebAssembly`, fetches exactly the URL it was given (however hostile), leaves the pending
// compile and the absolute URL it came from under the name the browser entry reads, turns a
// failed compile into `null`, cannot end its <script> element, does nothing in a browser without
// `compileStreaming`, and opens the Web Locks manager without ever throwing. (That the entry takes
// the module, and only from its own URL, is checked in Chromium: vite.test.mjs, astro.test.mjs,
// next.test.mjs.)
// Run in the fixture app: node --test preload.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EARLY, compileScript } from 'wix-headless-auth/preload';

const document = { baseURI: 'https://shop.example/products/item?x=1' };

/**
 * Runs the script's text as a page at `document.baseURI` would, with `compileStreaming` answering
 * `compiled(response)` and `navigator` as given (by default one whose lock manager answers queries).
 */
function run(text, compiled, navigator = { locks: { query: async () => ({ held: [], pending: [] }) } }) {
  const fetched = [];
  const self = {};
  const WebAssembly = compiled && { compileStreaming: async (response) => compiled(await response) };
  self.WebAssembly = WebAssembly;
  const fetch = async (url) => { fetched.push(url); return { url }; };
  new Function('self', 'WebAssembly', 'fetch', 'document', 'navigator', text)(self, WebAssembly, fetch, document, navigator);
  return { fetched, early: self[Symbol.for(EARLY)] };
}

test('the script compiles the module at the URL given, under the name the entry reads, with its absolute URL', async () => {
  for (const [href, absolute] of [
    ['/_astro/wix_headless_auth_bg.Ab3x.wasm', 'https://shop.example/_astro/wix_headless_auth_bg.Ab3x.wasm'],
    ['assets/m.wasm', 'https://shop.example/products/assets/m.wasm'],
    ['https://cdn.example/m.wasm', 'https://cdn.example/m.wasm'],
  ]) {
    const { fetched, early } = run(compileScript(href), (response) => ({ module: response.url }));
    assert.deepEqual(fetched, [href]);
    assert.equal(early.url, absolute);
    assert.deepEqual(await early.module, { module: href });
  }
});

test('a hostile URL stays one string and cannot end the <script> element', () => {
  const href = `https://cdn.example/a</script><script>alert(1)</script>\u2028"'\\\`\${x}.wasm`;
  const text = compileScript(href);
  assert.ok(!text.includes('<'), text);
  const { fetched, early } = run(text, () => ({}));
  assert.deepEqual(fetched, [href]);
  assert.equal(early.url, new URL(href).href);
});

test('a failed compile leaves null (no unhandled rejection), so the entry fetches its own', async () => {
  const { early } = run(compileScript('/m.wasm'), () => { throw new TypeError('Incorrect response MIME type'); });
  assert.equal(await early.module, null);
});

test('a URL the page cannot parse: no throw out of the script, nothing fetched, nothing left', () => {
  const { fetched, early } = run(compileScript('http://[bad'), () => ({}));
  assert.deepEqual(fetched, []);
  assert.equal(early, undefined);
});

test('a browser without compileStreaming: nothing is fetched, nothing is left', () => {
  const { fetched, early } = run(compileScript('/m.wasm'), undefined);
  assert.deepEqual(fetched, []);
  assert.equal(early, undefined);
});

test('the script opens the Web Locks manager with a query; a refusal, a throw or no Web Locks is no error', async () => {
  const rejected = [];
  const onRejection = (reason) => rejected.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    let queries = 0;
    const counting = { locks: { query: async () => { queries++; return {}; } } };
    run(compileScript('/m.wasm'), () => ({}), counting);
    assert.equal(queries, 1);
    // Even where the compile is skipped (no compileStreaming) or the URL cannot be parsed.
    run(compileScript('/m.wasm'), undefined, counting);
    run(compileScript('http://[bad'), () => ({}), counting);
    assert.equal(queries, 3);
    for (const navigator of [
      { locks: { query: () => Promise.reject(new Error('SecurityError')) } },
      { locks: { query() { throw new Error('hostile'); } } },
      { get locks() { throw new Error('hostile'); } },
      {},
      undefined,
    ]) {
      const { fetched, early } = run(compileScript('/m.wasm'), () => ({}), navigator);
      assert.deepEqual(fetched, ['/m.wasm']);
      assert.ok(early, 'the compile is left all the same');
    }
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(rejected, []);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
});

test('a URL object is taken as its href (`new URL(…, import.meta.url)` in a Next.js server component)', () => {
  const url = new URL('https://shop.example/_next/static/media/wix_headless_auth_bg.1a2b.wasm');
  assert.equal(compileScript(url), compileScript(url.href));
});

test('href must be a non-empty string or a URL: a TypeError that says so', () => {
  for (const bad of [undefined, null, '', 42, {}, { href: '/m.wasm' }]) {
    assert.throws(() => compileScript(bad), { name: 'TypeError', message: /href must be the \.wasm URL/ });
  }
});
