// `node bench/cold-probe.mjs [runs] [--reload] [name=pkgdir[@page] | page ...]`: the cold-start timeline of
// each client, in a shuffled order each round, fresh context per run: when each code file was
// requested and finished, when the client module ran, when the first header came. Medians in ms
// since navigation. Each `name=pkgdir` adds a variant of ours (another build of pkg/, e.g. an
// edited copy) on the same page (`name=pkgdir@ours-head`: on that page of lib/pages.mjs), so that
// ideas can be compared with ours and theirs in one run. Each `page` adds another page of
// lib/pages.mjs for ours (`ours-preload`, `ours-head`). When a client asks for a Web Lock (ours
// does before minting a visitor), the timeline also has when it first asked and when that lock
// was granted. One throw-away round first; every wait is bounded (20 s). Not part of npm test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, bundleSdk } from './lib/sizes.mjs';
import { launch } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { WAIT_MS, loadAndWait, pageHtml } from './lib/pages.mjs';
import { CLIENT_ID, startEmulator } from './lib/emulator.mjs';
import { median, seededRandom } from './lib/stats.mjs';

const runs = Number(process.argv[2] ?? 20);
if (!(Number.isInteger(runs) && runs > 0 && runs <= 1000)) throw new Error('runs: a whole number from 1 to 1000');
// `name=pkgdir[@page]`: the variant's directory, and the page it is loaded by (default `ours`).
const variants = Object.fromEntries(process.argv.slice(3).filter((a) => a.includes('=')).map((a) => a.split('=')).map(([name, spec]) => {
  const [dir, page = 'ours'] = spec.split('@');
  return [name, { dir, page }];
}));
// `--reload`: each run loads the page once and times the reload's first header instead (tokens
// stored, as `npm run bench`'s reload).
const reload = process.argv.includes('--reload');
const extraPages = process.argv.slice(3).filter((a) => !a.includes('=') && a !== '--reload');
const sdkBundle = bundleSdk(join(mkdtempSync(join(tmpdir(), 'bench-sdk-')), 'wix-sdk.bundle.js'));
const pages = {};
const mounts = { '/theirs/': dirname(sdkBundle), '/ours/': join(ROOT, 'pkg') };
for (const [name, { dir }] of Object.entries(variants)) mounts[`/${name}/`] = dir;
const server = await startServer({ mounts, pages });
const emulator = await startEmulator(['--db', ':memory:', '--allowed-origin', server.origin]);
const pageClients = ['ours', 'theirs', ...extraPages];
const clients = [...pageClients, ...Object.keys(variants)];
// Before any other script: wraps `navigator.locks.request` to note the first request and its grant.
const LOCK_SPY = `<script>(() => {
  const seen = window.__lock = {};
  const locks = navigator.locks;
  if (!locks) return;
  const request = locks.request.bind(locks);
  locks.request = (name, ...rest) => {
    seen.asked ??= performance.now();
    const callback = rest.pop();
    return request(name, ...rest, (lock) => { seen.granted ??= performance.now(); return callback(lock); });
  };
})();</script>`;
const spied = (html) => html.replace('<title>', `${LOCK_SPY}<title>`);
for (const c of pageClients) pages[`/${c}.html`] = spied(pageHtml(c, emulator.url, CLIENT_ID));
for (const [c, { page }] of Object.entries(variants)) pages[`/${c}.html`] = spied(pageHtml(page, emulator.url, CLIENT_ID).replaceAll('/ours/', `/${c}/`));
// A new order every round (a fixed PRNG, so runs repeat): a cyclic order gave every client the
// same predecessor, and the page before leaves work behind (its context closing, GC): two
// identical builds differed by 2.5 ms of first header over 150 rounds that way.
const random = seededRandom(0x9e3779b9);
const shuffled = (xs) => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }
  return a;
};
const { browser, stop } = await launch();
const rows = Object.fromEntries(clients.map((c) => [c, []]));
const spans = Object.fromEntries(clients.map((c) => [c, []]));
try {
  for (let i = -1; i < runs; i++) {
    for (const c of shuffled(clients)) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      page.setDefaultTimeout(WAIT_MS);
      let r = await loadAndWait(page, `${server.origin}/${c}.html?mode=first`);
      if (reload) {
        await page.reload({ waitUntil: 'domcontentloaded', timeout: WAIT_MS });
        r = await loadAndWait(page);
      }
      const t = await page.evaluate(() => {
        const out = {};
        const nav = performance.getEntriesByType('navigation')[0];
        out['html end'] = nav.responseEnd;
        for (const e of performance.getEntriesByType('resource')) {
          const n = e.name.replace(/^.*\//, '').replace(/\?.*$/, '');
          out[`${n} start`] = e.startTime;
          out[`${n} end`] = e.responseEnd;
        }
        if (window.__lock.asked !== undefined) Object.assign(out, { 'lock asked': window.__lock.asked, 'lock granted': window.__lock.granted });
        return out;
      });
      if (i >= 0) {
        rows[c].push({ ...t, moduleStart: r.moduleStart, first: r.first });
        const codeEnd = Math.max(...Object.entries(t).filter(([k]) => k.endsWith(' end') && !k.startsWith('token') && k !== 'html end').map(([, v]) => v));
        spans[c].push({ 'code→module': r.moduleStart - codeEnd, 'module→token request': t['token start'] - r.moduleStart,
          ...(t['lock asked'] === undefined ? {} : { 'lock wait': t['lock granted'] - t['lock asked'] }),
          'token request': t['token end'] - t['token start'], 'token→header': r.first - t['token end'], 'module→header': r.first - r.moduleStart });
      }
      await ctx.close();
    }
  }
} finally {
  await stop(); await emulator.stop(); await server.stop();
  rmSync(dirname(sdkBundle), { recursive: true, force: true });
}
for (const c of clients) {
  const keys = Object.keys(rows[c][0]);
  const meds = keys.map((k) => [k, median(rows[c].map((r) => r[k]).filter((x) => x !== undefined))]).sort((a, b) => a[1] - b[1]);
  console.log(`${c} (${runs} runs): ${meds.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(' | ')}`);
  console.log(`  spans, medians of per-run differences: ${Object.keys(spans[c][0]).map((k) => `${k} ${median(spans[c].map((r) => r[k])).toFixed(1)}`).join(' | ')}`);
}
const first = (c) => median(rows[c].map((r) => r.first));
// Load on a shared machine comes in bursts: the ratio of two clients' runs in the same round is
// steadier than the ratio of their medians.
const paired = (c) => median(rows[c].map((r, i) => r.first / rows.theirs[i].first));
// With a variant named `base` (e.g. the build before a change): each client's per-round
// difference from it, in ms.
if (rows.base) {
  for (const c of clients.filter((c) => c !== 'base')) {
    const d = (k) => median(rows[c].map((r, i) => r[k] - rows.base[i][k])).toFixed(1);
    console.log(`${c} − base, medians of same-round differences: module ready ${d('moduleStart')}, first header ${d('first')} ms`);
  }
}
for (const c of clients.filter((c) => c !== 'theirs')) {
  console.log(`first header ${c}/theirs: ratio of medians ${(first(c) / first('theirs')).toFixed(3)} (${first(c).toFixed(1)} vs ${first('theirs').toFixed(1)} ms), median of same-round ratios ${paired(c).toFixed(3)}`);
}
