// Renders bench/RESULTS.md from the results object of bench/run.mjs. Verdicts are computed from
// the measured figures here; nothing is typed in by hand except bench/ANALYSIS.md (appended).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './sizes.mjs';
import { ratioInterval } from './stats.mjs';

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '—');
const list = (xs) => (xs?.length ? (new Set(xs).size === 1 ? `${xs[0]} (all ${xs.length} runs)` : xs.join(', ')) : '—');
const verdict = (ok, how) => (ok === null ? 'not measured' : ok ? `**met**${how ? ` (${how})` : ''}` : `**MISSED**${how ? ` (${how})` : ''}`);
const ms = (s) => (s ? `${fmt(s.median, 1)} (${fmt(s.p25, 1)}–${fmt(s.p75, 1)})` : '—');

export function renderResults(r, { sizeTable }) {
  const b = r.browser;
  const has = (c) => r.clients.includes(c) && b;
  const rows = [];
  const misses = [];

  // Size is reported side by side with no target (the 0.8× budget is retired: bench/ANALYSIS.md).
  if (r.size) {
    const s = r.size;
    rows.push(['size, gzip -9 bytes (raw)', `${fmt(s.ours.gzip)} (${fmt(s.ours.raw)})`, `${fmt(s.theirs.gzip)} (${fmt(s.theirs.raw)})`,
      `${s.ratioGzip.toFixed(3)}×`, '—', 'reported (no target)']);
  } else {
    rows.push(['size, gzip -9 bytes', '—', '—', '—', '—', 'not measured (no pkg/)']);
  }

  const ratio = (k, higherIsBetter) => {
    if (!has('ours') || !has('theirs')) return null;
    return b[k].ours.median / b[k].theirs.median;
  };
  // The verdicts stay on the ratio of medians (the issue's target); beside them, how far this
  // machine's noise could move that ratio (results of runs before the runs were kept have none).
  const intervalOf = (k) => (b?.[k]?.ours?.runs && b[k].theirs?.runs ? ratioInterval(b[k].ours.runs, b[k].theirs.runs) : null);
  const intervals = { cold: intervalOf('cold'), reloadFirst: intervalOf('reloadFirst') };
  const ratioCell = (value, k) => {
    if (value === null) return '—';
    const ci = intervals[k];
    return ci ? `${value.toFixed(3)}× (95 % interval ${ci[0].toFixed(2)}–${ci[1].toFixed(2)})` : `${value.toFixed(3)}×`;
  };
  const noise = (k) => {
    const ci = intervals[k];
    if (!ci) return '';
    const where = ci[0] > 1 ? "lies above 1.0: a miss beyond this run's noise"
      : ci[1] >= 1 ? 'includes 1.0: this run cannot tell the two apart' : 'lies below 1.0';
    return ` The 95 % interval of the ratio, ${ci[0].toFixed(3)}–${ci[1].toFixed(3)}×, ${where}.`;
  };
  const cold = ratio('cold');
  rows.push(['1. cold start: navigation → first `Authorization`, ms, median (p25–p75)',
    has('ours') ? ms(b.cold.ours) : '—', has('theirs') ? ms(b.cold.theirs) : '—',
    ratioCell(cold, 'cold'), '≤ 1.0×', verdict(cold === null ? null : cold <= 1)]);
  if (cold !== null && cold > 1) misses.push(`cold start: ours is ${((cold - 1) * 100).toFixed(1)} % slower (median ${fmt(b.cold.ours.median, 1)} vs ${fmt(b.cold.theirs.median, 1)} ms).${noise('cold')}`);

  const hot = ratio('hot');
  const hotCell = (c) => (has(c) ? `${fmt(b.hot[c].median)} (${fmt(b.hot[c].p25)}–${fmt(b.hot[c].p75)})` : '—');
  rows.push(['2. hot path: `getAuthHeaders()` with a valid token, calls/s, median (p25–p75)', hotCell('ours'), hotCell('theirs'),
    hot === null ? '—' : `${hot.toFixed(3)}×`, '≥ 1.0×', verdict(hot === null ? null : hot >= 1)]);
  if (hot !== null && hot < 1) misses.push(`hot path: ours reaches ${(hot * 100).toFixed(1)} % of theirs (${fmt(b.hot.ours.median)} vs ${fmt(b.hot.theirs.median)} calls/s).`);

  const conc = (c) => (has(c) ? b.concurrent[c].tokenRequests : null);
  const concOk = has('ours') ? conc('ours').every((n) => n === 1) : null;
  rows.push(['3. 50 concurrent `getAuthHeaders()` on a fresh client: token requests sent',
    has('ours') ? list(conc('ours')) : '—', has('theirs') ? list(conc('theirs')) : '—', '—', 'exactly 1', verdict(concOk)]);
  if (concOk === false) misses.push(`50 concurrent: ours sent ${conc('ours').join(', ')} token requests instead of 1.`);

  const rel = (c) => (has(c) ? b.reload[c] : null);
  const relOk = has('ours') ? rel('ours').every((n) => n === 0) : null;
  rows.push(['4. reload with valid stored tokens: token requests before the first header',
    has('ours') ? list(rel('ours')) : '—', has('theirs') ? list(rel('theirs')) : '—', '—', '0', verdict(relOk)]);
  if (relOk === false) misses.push(`reload: ours sent ${rel('ours').join(', ')} token requests instead of 0.`);

  // Issue 16's reload target: navigation → first header with valid stored tokens, ≤ 1.0× theirs.
  const reloadRatio = ratio('reloadFirst');
  rows.push(['4b. reload with valid stored tokens: navigation → first header, ms, median (p25–p75)',
    has('ours') ? ms(b.reloadFirst.ours) : '—', has('theirs') ? ms(b.reloadFirst.theirs) : '—',
    ratioCell(reloadRatio, 'reloadFirst'), '≤ 1.0×', verdict(reloadRatio === null ? null : reloadRatio <= 1)]);
  if (reloadRatio !== null && reloadRatio > 1) misses.push(`reload: ours is ${((reloadRatio - 1) * 100).toFixed(1)} % slower to its first header (median ${fmt(b.reloadFirst.ours.median, 1)} vs ${fmt(b.reloadFirst.theirs.median, 1)} ms).${noise('reloadFirst')}`);

  const anon = r.wrk?.scenarios['anonymous grant'];
  if (anon) {
    const persisted = anon.tokensStored.access >= anon.ok && anon.tokensStored.refresh >= anon.ok;
    const ok = anon.rps >= 10_000 && anon.p99_us <= 10_000 && anon.non2xx === 0 && anon.socket_errors === 0 && persisted;
    rows.push(['5. emulator, anonymous grant (wrk): req/s, p99, non-2xx',
      `${fmt(anon.rps)} req/s, p99 ${fmt(anon.p99_us / 1000, 2)} ms, ${anon.non2xx} non-2xx`, '—', '—',
      '≥ 10,000 req/s, p99 ≤ 10 ms, 0 errors, every token persisted', verdict(ok, persisted ? 'tokens persisted' : 'tokens NOT all persisted')]);
    if (anon.rps < 10_000) misses.push(`emulator anonymous grant: ${fmt(anon.rps)} req/s is ${(100 * anon.rps / 10_000).toFixed(1)} % of the 10,000 req/s target.`);
    if (anon.p99_us > 10_000) misses.push(`emulator anonymous grant: p99 ${fmt(anon.p99_us / 1000, 2)} ms is ${(anon.p99_us / 10_000).toFixed(2)}× the 10 ms target.`);
    if (anon.non2xx || anon.socket_errors) misses.push(`emulator anonymous grant: ${anon.non2xx} non-2xx responses, ${anon.socket_errors} socket errors.`);
  }
  for (const [name, s] of Object.entries(r.wrk?.scenarios ?? {})) {
    if (name !== 'anonymous grant' && (s.non2xx || s.socket_errors)) {
      const kinds = `connect ${s.connect_errors}, read ${s.read_errors}, write ${s.write_errors}, timeouts (no answer within wrk's 5 s) ${s.timeouts}`;
      misses.push(`emulator ${name}: ${s.non2xx} non-2xx responses, ${s.socket_errors} socket errors (${kinds}); both must be zero.${s.first_bad ? ` First non-2xx: ${s.first_bad}` : ''}`);
    }
  }

  const e = r.env;
  const out = [];
  out.push('# Benchmarks: wix-headless-auth vs @wix/sdk `OAuthStrategy`', '');
  out.push(`Generated by \`npm run bench\` (scripts/bench → bench/run.mjs${r.quick ? ' --quick: FEW RUNS, indicative only' : ''}) on ${e.date}.`, '');
  out.push('| Machine / version | |', '|---|---|');
  out.push(`| CPU | ${e.nproc} × ${e.cpu} (\`nproc\` = ${e.nproc}; shared, noisy) |`);
  out.push(`| Chromium | ${b?.chromium ?? '—'} (Debian, headless, playwright-core) |`);
  out.push(`| Node | ${e.node} |`, `| @wix/sdk | ${e.sdk} |`, `| wrk | ${e.wrk} |`);
  out.push(`| our commit | \`${e.commit}\`${e.dirty ? ' (with uncommitted changes in src/emulator)' : ''} |`);
  if (e.libCommit) out.push(`| last library change | ${e.libCommit} |`, `| last emulator change | ${e.emulatorCommit} |`);
  out.push('');
  out.push('## Results', '');
  out.push('| Benchmark | ours | @wix/sdk (theirs) | ratio ours/theirs | target | verdict |', '|---|---|---|---|---|---|');
  for (const row of rows) out.push(`| ${row.join(' | ')} |`);
  out.push('');
  out.push('## Where a target is missed', '');
  out.push(misses.length ? misses.map((m) => `- ${m}`).join('\n') : '- none in this run.', '');

  if (b) {
    out.push('## Browser details', '');
    out.push('| | ours | theirs |', '|---|---|---|');
    const cell = (c, f) => (has(c) ? f(c) : '—');
    out.push(`| cold start runs (alternating) | ${cell('ours', (c) => b.cold[c].n)} | ${cell('theirs', (c) => b.cold[c].n)} |`);
    out.push(`| cold: code files fetched by the page (uncompressed) | ${cell('ours', (c) => `${b.codeFiles[c]} files`)} | ${cell('theirs', (c) => `${b.codeFiles[c]} files`)} |`);
    out.push(`| cold: last code file downloaded (ms since navigation), median (p25–p75) | ${cell('ours', (c) => ms(b.coldCode[c]))} | ${cell('theirs', (c) => ms(b.coldCode[c]))} |`);
    out.push(`| cold: client module evaluated (wasm compiled + instantiated for ours), median (p25–p75) | ${cell('ours', (c) => ms(b.coldModule[c]))} | ${cell('theirs', (c) => ms(b.coldModule[c]))} |`);
    out.push(`| cold: first header − module evaluated (token request), median of differences | ${cell('ours', (c) => fmt(b.coldTokenMs[c], 1))} | ${cell('theirs', (c) => fmt(b.coldTokenMs[c], 1))} |`);
    out.push(`| cold: min / max first header, ms | ${cell('ours', (c) => `${fmt(b.cold[c].min, 1)} / ${fmt(b.cold[c].max, 1)}`)} | ${cell('theirs', (c) => `${fmt(b.cold[c].min, 1)} / ${fmt(b.cold[c].max, 1)}`)} |`);
    out.push(`| cold: token requests per run | ${cell('ours', (c) => fmt(b.coldTokens[c].median))} | ${cell('theirs', (c) => fmt(b.coldTokens[c].median))} |`);
    out.push(`| hot path rounds × round time | ${cell('ours', (c) => `${b.hot[c].n} × ${r.hotMs} ms`)} | ${cell('theirs', (c) => `${b.hot[c].n} × ${r.hotMs} ms`)} |`);
    out.push(`| token requests during all hot rounds (both clients) | ${b.hotTokenRequests} | |`);
    out.push(`| 50 concurrent: distinct Authorization values returned | ${cell('ours', (c) => list(b.concurrent[c].distinctTokens))} | ${cell('theirs', (c) => list(b.concurrent[c].distinctTokens))} |`);
    out.push(`| reload: time to first header with stored tokens, ms, median (p25–p75) | ${cell('ours', (c) => ms(b.reloadFirst[c]))} | ${cell('theirs', (c) => ms(b.reloadFirst[c]))} |`);
    if (b.reloadModule) {
      out.push(`| reload: client module evaluated, median (p25–p75) | ${cell('ours', (c) => ms(b.reloadModule[c]))} | ${cell('theirs', (c) => ms(b.reloadModule[c]))} |`);
      out.push(`| reload: first header − module evaluated (construction, stored tokens read), median of differences | ${cell('ours', (c) => fmt(b.reloadHeaderMs[c], 1))} | ${cell('theirs', (c) => fmt(b.reloadHeaderMs[c], 1))} |`);
    }
    out.push('');
  }

  const h = r.head;
  if (h) {
    const ratioOf = (k) => `${(h[k]['ours-head'].median / h[k].theirs.median).toFixed(3)}×`;
    out.push('## With the head\'s preload link and compiling script (a reading, not a verdict)', '');
    out.push('The same bench page for ours with `<link rel="preload" as="fetch" type="application/wasm" crossorigin>` and',
      '`wix-headless-auth/preload`\'s `compileScript` in its head (what `wix-headless-auth/vite` writes and the Next.js and Astro',
      'guides show), measured after the verdicts in a pass of its own against the same page of theirs as above.', '');
    out.push('| | ours, with the head\'s lines | theirs | ratio |', '|---|---|---|---|');
    out.push(`| cold: client module evaluated, median (p25–p75) | ${ms(h.coldModule['ours-head'])} | ${ms(h.coldModule.theirs)} | ${ratioOf('coldModule')} |`);
    out.push(`| cold: first header, median (p25–p75) | ${ms(h.cold['ours-head'])} | ${ms(h.cold.theirs)} | ${ratioOf('cold')} |`);
    out.push(`| reload: first header, median (p25–p75) | ${ms(h.reloadFirst['ours-head'])} | ${ms(h.reloadFirst.theirs)} | ${ratioOf('reloadFirst')} |`);
    out.push(`| reload: token requests | ${list(h.reload['ours-head'])} | ${list(h.reload.theirs)} | — |`);
    out.push('');
  }

  if (r.wrk) {
    const w = r.wrk;
    out.push('## Emulator under load (wrk)', '');
    out.push(`\`wrk -t${w.threads} -c${w.connections} -d${w.seconds}s --timeout 5s -s bench/wrk/<script>.lua\` against the release build on 127.0.0.1,`,
      'SQLite in a file (WAL, synchronous=OFF: committed rows survive an emulator crash or restart, not a power cut; see emulator/src/store/mod.rs). wrk and the server share the same cores. "non-2xx" is counted by the Lua',
      'scripts per response; "tokens stored" is the growth of the `tokens` table (sqlite3) during the run.', '');
    out.push('| Scenario | req/s | p50 ms | p90 ms | p99 ms | max ms | requests | non-2xx | socket errors | tokens stored (access / refresh) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const [name, s] of Object.entries(w.scenarios)) {
      out.push(`| ${name} | ${fmt(s.rps)} | ${fmt(s.p50_us / 1000, 2)} | ${fmt(s.p90_us / 1000, 2)} | ${fmt(s.p99_us / 1000, 2)} | ${fmt(s.max_us / 1000, 1)} | ${fmt(s.requests)} | ${s.non2xx} | ${s.socket_errors} | ${s.tokensStored.access} / ${s.tokensStored.refresh} |`);
    }
    out.push('');
  }

  if (sizeTable) out.push('## Size', '', sizeTable, '', 'Method: see bench/SIZE.md (`npm run size`).', '');

  out.push('## Method', '');
  out.push(`- One page server (node, 127.0.0.1, uncompressed, \`Cache-Control: no-store\`) and one emulator (release build,
  in-memory SQLite, the page origin allowed for CORS) for the whole browser run. Both clients get the same page
  (bench/lib/pages.mjs): a classic script that wraps \`window.fetch\` to send \`https://www.wixapis.com/*\` to the
  emulator (a pass-through for ours, which is given \`baseUrl\`), then one module script that imports the client
  (ours: \`pkg/index.js\`, which instantiates the wasm with top-level await; theirs: the same esbuild bundle as the size
  figure) and calls \`getAuthHeaders()\`.
- @wix/sdk persists nothing, so its page does what the Wix docs show a storefront doing: \`OAuthStrategy({clientId,
  tokens: JSON.parse(stored)})\` at load and \`JSON.stringify(auth.getTokens())\` into localStorage after the first header
  (the docs use a cookie; same work). Ours persists in localStorage by itself.
- 1: a fresh browser context per run (empty cache, storage, connections, CORS preflight cache), ${b?.cold?.ours?.n ?? b?.cold?.theirs?.n ?? '?'} runs each,
  alternating which client goes first; time = \`performance.now()\` when the header resolves (ms since navigation start).
- 2: one loaded page per client; after a 300 ms warm-up, alternating rounds of sequential \`await getAuthHeaders()\`
  (bounded to 5,000,000 calls and the round time); calls/s per round, median over rounds.
- 3: fresh context, \`Promise.all\` of 50 \`getAuthHeaders()\` before any token exists; token requests = growth of the
  emulator's \`/_emulator/stats\` grant counters.
- 4: fresh context, load (one token minted and stored), then \`page.reload()\`; token requests counted from just before
  the reload to the first header. 4b: the same reloads, \`performance.now()\` when the header resolves.
- Ratios are ours / theirs of the medians. The machine is shared and noisy: quartiles are given; single runs vary.
  Beside the cold start's and the reload's ratio, a 95 % bootstrap interval (bench/lib/stats.mjs \`ratioInterval\`:
  4,000 draws of whole rounds with replacement, so both clients' runs of a round stay together): how far the ratio
  of this run's medians could have landed on this machine's noise alone. The verdict is on the ratio itself.`, '');

  const analysis = join(ROOT, 'bench', 'ANALYSIS.md');
  if (existsSync(analysis)) out.push(readFileSync(analysis, 'utf8').trim(), '');
  return out.join('\n');
}
