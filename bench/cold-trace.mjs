// `node bench/cold-trace.mjs [out.json] [page]` (after scripts/build-pkg): a Chromium performance
// trace of one cold start of our bench page, or of another page of lib/pages.mjs for ours (`page`,
// e.g. `ours-head`): the third load of a fresh context (the first two warm the OS caches), written
// to out.json (default: a temporary file; open it in chrome://tracing or Perfetto),
// and a summary of the renderer's main thread: time spent compiling JS (V8.CompileCode) and wasm
// functions on their first call (wasm.CompileLazy), and the work done when the .wasm arrived.
// Tracing itself slows the page down: read the figures as proportions. Not part of npm test.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/sizes.mjs';
import { launch } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { WAIT_MS, loadAndWait, pageHtml } from './lib/pages.mjs';
import { CLIENT_ID, startEmulator } from './lib/emulator.mjs';

const out = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'cold-trace-')), 'trace.json');
const pages = {};
const server = await startServer({ mounts: { '/ours/': join(ROOT, 'pkg') }, pages });
const emulator = await startEmulator(['--db', ':memory:', '--allowed-origin', server.origin]);
pages['/ours.html'] = pageHtml(process.argv[3] ?? 'ours', emulator.url, CLIENT_ID);
const { browser, stop } = await launch();
const CATEGORIES = ['devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.compile', 'blink', 'loading', 'toplevel', 'v8.execute'];
let result;
try {
  for (let i = 0; i < 3; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    page.setDefaultTimeout(WAIT_MS);
    if (i === 2) await browser.startTracing(page, { path: out, categories: CATEGORIES });
    result = await loadAndWait(page, `${server.origin}/ours.html?mode=first`);
    if (i === 2) await browser.stopTracing();
    await ctx.close();
  }
} finally {
  await stop(); await emulator.stop(); await server.stop();
}

const raw = JSON.parse(readFileSync(out, 'utf8'));
const events = Array.isArray(raw) ? raw : raw.traceEvents;
const threads = new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
const thread = (e) => threads.get(`${e.pid}:${e.tid}`);
const t0 = events.find((e) => e.name === 'ResourceSendRequest')?.ts ?? 0;
const ms = (us) => (us / 1000).toFixed(1);
const sums = new Map();
for (const e of events) {
  if (e.ph !== 'X' || !['V8.CompileCode', 'wasm.CompileLazy', 'wasm.OnBytesReceived', 'wasm.FinishStreaming', 'wasm.SyncInstantiate'].includes(e.name)) continue;
  const key = `${thread(e)} ${e.name}`;
  const s = sums.get(key) ?? { n: 0, us: 0 };
  s.n++; s.us += e.dur ?? 0;
  sums.set(key, s);
}
console.log(`trace: ${out}`);
console.log(`page: module ready ${result.moduleStart.toFixed(1)} ms, first header ${result.first.toFixed(1)} ms (traced)`);
for (const e of events.filter((e) => e.name === 'ResourceSendRequest')) console.log(`  request at ${ms(e.ts - t0)} ms: ${e.args?.data?.url}`);
for (const [k, s] of [...sums].sort()) console.log(`  ${k}: ${ms(s.us)} ms in ${s.n}`);
