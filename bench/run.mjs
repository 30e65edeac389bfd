// `npm run bench` (scripts/bench builds first): sizes, browser benchmarks 1–4, emulator under
// wrk (5); then, as a reading beside the verdicts, cold start and reload of our page with the
// `.wasm`'s preload link and compiling script in its head. Prints a summary and writes
// bench/RESULTS.md. Not part of `npm test`.
//
// Flags: --render-only (RESULTS.md from results.json)
//        --clients=ours,theirs (default: both, or theirs alone when pkg/ has no .wasm)
//        --quick (few runs, 3 s wrk; for trying the harness)   --no-wrk   --no-browser
//        --only=cold[,hot,concurrent,reload] (those browser parts alone, no size or wrk; prints their
//          figures as JSON and writes no RESULTS.md / results.json)   --cold-runs=N (default 31)
//        --cached (with --only: the clients' code served as hashed assets are, cached for a year,
//          so that a reload takes it from the HTTP cache; the verdict runs serve it `no-store`)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, bundleSdk, measureBoth, packageFiles, markdownTable } from './lib/sizes.mjs';
import { runBrowserBench, PARTS } from './browser.mjs';
import { runWrkBench } from './wrk.mjs';

const args = process.argv.slice(2);
// An unknown flag (say `--help`) must not start a full ten-minute run that rewrites the results.
const known = /^--(render-only|quick|no-wrk|no-browser|cached|(clients|only|cold-runs)=.*)$/;
const unknown = args.filter((a) => !known.test(a));
if (unknown.length) throw new Error(`bench/run.mjs: unknown ${unknown.join(' ')}; the flags are listed at the top of bench/run.mjs`);
if (args.includes('--render-only')) {
  // Re-renders RESULTS.md from the last results.json (after editing ANALYSIS.md); measures nothing.
  const { renderResults } = await import('./lib/report.mjs');
  const r = JSON.parse(readFileSync(join(ROOT, 'bench', 'results.json'), 'utf8'));
  writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), renderResults(r, { sizeTable: r.size ? markdownTable(r.size) : null }));
  process.exit(0);
}
const flag = (name) => args.includes(`--${name}`);
const value = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag('quick');
const only = value('only')?.split(',');
if (only && (only.length === 0 || only.some((p) => !PARTS.includes(p)))) throw new Error(`--only takes some of ${PARTS.join(',')}`);
const cached = flag('cached');
if (cached && !only) throw new Error('--cached is for probes (with --only): the full run keeps its code no-store');
// Medians of 15 cold runs and 7 reloads moved by 0.1 and 0.3 between runs of one build on this
// 2-core machine; more runs make the ratios worth comparing (about a minute more).
const coldRuns = value('cold-runs') === undefined ? (quick ? 3 : 31) : Number(value('cold-runs'));
if (!(Number.isInteger(coldRuns) && coldRuns > 0 && coldRuns <= 1000)) throw new Error('--cold-runs takes a whole number from 1 to 1000');
const log = (s) => console.error(`[bench] ${s}`);

const pkgDir = join(ROOT, 'pkg');
const havePkg = existsSync(pkgDir) && packageFiles(pkgDir).some((f) => f.endsWith('.wasm'));
const clients = (value('clients') ?? (havePkg ? 'ours,theirs' : 'theirs')).split(',');
if (clients.includes('ours') && !havePkg) throw new Error('pkg/ has no .wasm: run scripts/build-pkg');

const sh = (cmd, a) => { try { return execFileSync(cmd, a, { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { return '?'; } };
const env = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  nproc: sh('nproc', []),
  cpu: cpus()[0]?.model ?? '?',
  node: process.version,
  sdk: JSON.parse(readFileSync(join(ROOT, 'node_modules/@wix/sdk/package.json'), 'utf8')).version,
  commit: sh('git', ['rev-parse', '--short', 'HEAD']),
  libCommit: sh('git', ['log', '-1', '--format=%h %s', '--', 'src', 'pkg-template', 'scripts/build-pkg']).slice(0, 90),
  emulatorCommit: sh('git', ['log', '-1', '--format=%h %s', '--', 'emulator']).slice(0, 90),
  dirty: sh('git', ['status', '--porcelain', '--', 'src', 'pkg-template', 'scripts/build-pkg', 'emulator']) !== '',
  wrk: sh('sh', ['-c', 'wrk -v 2>&1 | head -n1']),
};

const results = { env, clients, quick, hotMs: quick ? 300 : 1000 };
if (havePkg && !only) {
  results.size = measureBoth(pkgDir);
  log(`size: ours ${results.size.ours.gzip} B gzip, theirs ${results.size.theirs.gzip} B gzip, ratio ${results.size.ratioGzip.toFixed(3)}`);
}

if (!flag('no-browser') || only) {
  const sdkBundle = bundleSdk(join(mkdtempSync(join(tmpdir(), 'bench-sdk-')), 'wix-sdk.bundle.js'));
  const reloadRuns = quick ? 2 : 25;
  try {
    results.browser = await runBrowserBench({
      pkgDir: havePkg ? pkgDir : undefined,
      sdkBundle,
      clients,
      coldRuns,
      parts: only,
      hotRounds: quick ? 2 : 9,
      hotMs: quick ? 300 : 1000,
      concurrentRuns: quick ? 1 : 5,
      reloadRuns,
      cached,
      log,
    });
    // A reading beside the verdicts, in its own pass so that the verdicts' pages alternate as
    // they always did: our page with the `.wasm`'s preload link and `wix-headless-auth/preload`'s
    // script in its head (what the Vite plugin writes and the framework guides show) against theirs.
    if (!only && clients.includes('ours') && clients.includes('theirs')) {
      log('the same page with the head\'s preload link and compiling script (a reading, not a verdict):');
      results.head = await runBrowserBench({ pkgDir, sdkBundle, clients: ['ours-head', 'theirs'], coldRuns, parts: ['cold', 'reload'], reloadRuns, log });
    }
  } finally {
    rmSync(dirname(sdkBundle), { recursive: true, force: true });
  }
}

if (only) {
  // A partial run: its figures on stdout; the full run's files stay as they were.
  const b = results.browser;
  const keep = { cold: ['cold', 'coldModule', 'coldCode', 'coldTokenMs', 'coldTokens', 'codeFiles'], hot: ['hot', 'hotTokenRequests'],
    concurrent: ['concurrent'], reload: ['reload', 'reloadFirst', 'reloadModule', 'reloadHeaderMs'] };
  const picked = Object.fromEntries(only.flatMap((p) => keep[p]).map((k) => [k, b[k]]));
  if (only.includes('cold') && clients.includes('ours') && clients.includes('theirs')) {
    picked.coldRatio = b.cold.ours.median / b.cold.theirs.median;
    log(`cold start: ratio ours/theirs ${picked.coldRatio.toFixed(3)} (${coldRuns} runs each, alternating)`);
  }
  console.log(JSON.stringify({ env, clients, coldRuns, cached, ...picked }, null, 2));
  process.exit(0);
}

if (!flag('no-wrk')) results.wrk = await runWrkBench({ seconds: quick ? 3 : 10, log });

writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
const { renderResults } = await import('./lib/report.mjs');
const md = renderResults(results, { sizeTable: results.size ? markdownTable(results.size) : null });
writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), md);
console.log(md);
