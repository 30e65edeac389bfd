// Benchmarks 1–4 in headless Chromium: ours and @wix/sdk on the same page shape, alternating.
// Every loop is bounded in count; every wait is bounded in time.
import { dirname, basename } from 'node:path';
import { launch } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { WAIT_MS, loadAndWait, pageHtml } from './lib/pages.mjs';
import { CLIENT_ID, startEmulator, tokenRequests } from './lib/emulator.mjs';
import { medianDifference, summary } from './lib/stats.mjs';


async function openPage(browser, origin, client, mode) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const result = await loadAndWait(page, `${origin}/${client}.html?mode=${mode}`);
  return { context, page, result };
}

/** Runs `fn(client, round)` for every client, alternating which goes first each round. */
async function alternate(clients, rounds, fn) {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? clients : [...clients].reverse();
    for (const c of order) await fn(c, round);
  }
}

/** The parts of this file, in the order they run. */
export const PARTS = ['cold', 'hot', 'concurrent', 'reload'];

/**
 * opts: {pkgDir?, sdkBundle, clients: ['ours','theirs'], coldRuns, hotRounds, hotMs, concurrentRuns,
 * reloadRuns, parts? (some of PARTS; default all), cached? (the clients' code cacheable, for
 * reloads from the HTTP cache), log}. Starts its own page server and emulator
 * (release, in-memory SQLite, the page origin allowed for CORS).
 */
export async function runBrowserBench(opts) {
  const { clients, log = () => {} } = opts;
  const parts = new Set(opts.parts ?? PARTS);
  const mounts = { '/theirs/': dirname(opts.sdkBundle) };
  if (basename(opts.sdkBundle) !== 'wix-sdk.bundle.js') throw new Error('sdk bundle must be named wix-sdk.bundle.js');
  if (opts.pkgDir) mounts['/ours/'] = opts.pkgDir;
  const pages = {};
  const code = (path) => path.startsWith('/ours/') || path.startsWith('/theirs/');
  const server = await startServer({ mounts, pages, immutable: opts.cached ? code : undefined });
  const emulator = await startEmulator(['--db', ':memory:', '--allowed-origin', server.origin]).catch(async (e) => {
    await server.stop();
    throw e;
  });
  const emu = emulator.url;
  for (const c of clients) pages[`/${c}.html`] = pageHtml(c, emu, CLIENT_ID);
  const { browser, version, stop } = await launch().catch(async (e) => {
    await emulator.stop();
    await server.stop();
    throw e;
  });
  const out = { chromium: version, origin: server.origin, cold: {}, coldModule: {}, hot: {}, concurrent: {}, reload: {}, reloadFirst: {} };
  try {
    // 0. One throw-away load each: the OS file cache and the emulator's first connections warm up.
    for (const c of clients) { const { context } = await openPage(browser, server.origin, c, 'first'); await context.close(); }

    // 1. Cold start: fresh context (empty cache, storage, connections) → first Authorization header.
    if (parts.has('cold')) {
      const cold = Object.fromEntries(clients.map((c) => [c, []]));
      const coldModule = Object.fromEntries(clients.map((c) => [c, []]));
      const coldTokens = Object.fromEntries(clients.map((c) => [c, []]));
      const coldCode = Object.fromEntries(clients.map((c) => [c, []]));
      const codeFiles = {};
      await alternate(clients, opts.coldRuns, async (c) => {
        const before = await tokenRequests(emu);
        const { context, result } = await openPage(browser, server.origin, c, 'first');
        coldTokens[c].push((await tokenRequests(emu)) - before);
        cold[c].push(result.first);
        coldModule[c].push(result.moduleStart);
        coldCode[c].push(result.codeEnd);
        codeFiles[c] = result.codeFiles;
        await context.close();
      });
      for (const c of clients) {
        out.cold[c] = summary(cold[c]);
        out.coldModule[c] = summary(coldModule[c]);
        out.coldCode = { ...out.coldCode, [c]: summary(coldCode[c]) };
        out.codeFiles = { ...out.codeFiles, [c]: codeFiles[c] };
        out.coldTokens = { ...out.coldTokens, [c]: summary(coldTokens[c]) };
        out.coldTokenMs = { ...out.coldTokenMs, [c]: medianDifference(cold[c], coldModule[c]) };
      }
      const split = (c) => `code ${out.coldCode[c].median.toFixed(1)}, module ${out.coldModule[c].median.toFixed(1)}, token +${out.coldTokenMs[c].toFixed(1)}`;
      log(`cold start: ${clients.map((c) => `${c} ${out.cold[c].median.toFixed(1)} ms (${split(c)})`).join(', ')}`);
    }

    // 2. Hot path: one loaded page per client; alternating rounds of getAuthHeaders() for hotMs each.
    if (parts.has('hot')) {
      const hotPages = {};
      for (const c of clients) hotPages[c] = await openPage(browser, server.origin, c, 'first');
      for (const c of clients) await hotPages[c].page.evaluate(() => window.__hot(300, 1e6)); // JIT warm-up
      const hot = Object.fromEntries(clients.map((c) => [c, []]));
      const hotTokensBefore = await tokenRequests(emu);
      await alternate(clients, opts.hotRounds, async (c) => {
        const r = await hotPages[c].page.evaluate(([ms]) => window.__hot(ms, 5e6), [opts.hotMs]);
        hot[c].push((r.calls / r.ms) * 1000);
      });
      out.hotTokenRequests = (await tokenRequests(emu)) - hotTokensBefore;
      for (const c of clients) { out.hot[c] = summary(hot[c]); await hotPages[c].context.close(); }
      log(`hot path: ${clients.map((c) => `${c} ${Math.round(out.hot[c].median)} calls/s`).join(', ')}`);
    }

    // 3. 50 concurrent getAuthHeaders() on a fresh client: token requests sent.
    if (parts.has('concurrent')) {
      const conc = Object.fromEntries(clients.map((c) => [c, { tokenRequests: [], distinctTokens: [] }]));
      await alternate(clients, opts.concurrentRuns, async (c) => {
        const before = await tokenRequests(emu);
        const { context, result } = await openPage(browser, server.origin, c, 'concurrent');
        conc[c].tokenRequests.push((await tokenRequests(emu)) - before);
        conc[c].distinctTokens.push(result.distinct);
        await context.close();
      });
      out.concurrent = conc;
      log(`50 concurrent: ${clients.map((c) => `${c} ${conc[c].tokenRequests.join('/')} token requests`).join(', ')}`);
    }

    // 4. Reload with valid stored tokens: token requests between reload and the first header.
    if (parts.has('reload')) {
      const reload = Object.fromEntries(clients.map((c) => [c, []]));
      const reloadFirst = Object.fromEntries(clients.map((c) => [c, []]));
      const reloadModule = Object.fromEntries(clients.map((c) => [c, []]));
      await alternate(clients, opts.reloadRuns, async (c) => {
        const { context, page } = await openPage(browser, server.origin, c, 'first');
        const before = await tokenRequests(emu);
        await page.reload({ waitUntil: 'domcontentloaded', timeout: WAIT_MS });
        const result = await loadAndWait(page);
        reload[c].push((await tokenRequests(emu)) - before);
        reloadFirst[c].push(result.first);
        reloadModule[c].push(result.moduleStart);
        await context.close();
      });
      out.reload = reload;
      // The same split as the cold start's: loading the client, then its first header.
      out.reloadModule = {};
      out.reloadHeaderMs = {};
      for (const c of clients) {
        out.reloadFirst[c] = summary(reloadFirst[c]);
        out.reloadModule[c] = summary(reloadModule[c]);
        out.reloadHeaderMs[c] = medianDifference(reloadFirst[c], reloadModule[c]);
      }
      log(`reload: ${clients.map((c) => `${c} ${reload[c].join('/')} token requests, ${out.reloadFirst[c].median.toFixed(1)} ms`).join('; ')}`);
    }
  } finally {
    await stop();
    await emulator.stop();
    await server.stop();
  }
  return out;
}
