// Measures the shipped bytes of both clients: ours (pkg/: .wasm + wasm-bindgen glue + our entry)
// and theirs (@wix/sdk createClient + OAuthStrategy bundled by esbuild), raw and `gzip -9`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SDK_ENTRY = fileURLToPath(new URL('./sdk-entry.js', import.meta.url));
/** The esbuild flags every size in docs/architecture.md was measured with. */
export const ESBUILD_FLAGS = ['--bundle', '--minify', '--format=esm', '--platform=browser'];

/** `gzip -9` size of a file, by the real gzip (stdin, so no name in the header). */
export function gzipSize(path) {
  return execFileSync('gzip', ['-9', '-c'], { input: readFileSync(path), maxBuffer: 64 << 20 }).length;
}

/** Bundles the @wix/sdk entry with the esbuild CLI of node_modules; returns the output path. */
export function bundleSdk(outFile = join(mkdtempSync(join(tmpdir(), 'wix-sdk-')), 'wix-sdk.bundle.js'), extra = []) {
  const esbuild = join(ROOT, 'node_modules', '.bin', 'esbuild');
  execFileSync(esbuild, [SDK_ENTRY, ...ESBUILD_FLAGS, ...extra, `--outfile=${outFile}`, '--log-level=warning'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return outFile;
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * What a browser downloads from our package: the browser entry `index.js` (one file with the glue
 * and the factory inside, see scripts/build-pkg), every .wasm, and any wasm-bindgen snippet. The
 * Node entry's files (node.js, wix_headless_auth.js, wasm-bytes.js) never reach a
 * browser; nor does the Edge entry; `inline.js` replaces index.js + .wasm for Rollup and esbuild
 * users, and `session-cookie.js` is opt-in (`wix-headless-auth/cookie`): scripts/build-pkg
 * prints those sizes. `vite.js` is a Vite plugin, run by the build, and `preload.js` runs on the
 * server (the ~380 B script it writes goes into the page's HTML). strategy.js and sdk-exports.js
 * reach a browser inside index.js, not as files.
 */
export function packageFiles(pkgDir) {
  const notDefault = new Set(['node.js', 'strategy.js', 'wix_headless_auth.js', 'wasm-bytes.js', 'edge.js', 'inline.js', 'session-cookie.js', 'sdk-exports.js', 'vite.js', 'preload.js']);
  return walk(pkgDir)
    .filter((f) => /\.(wasm|m?js)$/.test(f) && !notDefault.has(relative(pkgDir, f)))
    .sort();
}

function measure(files, base) {
  const rows = files.map((f) => ({ file: relative(base, f), raw: statSync(f).size, gzip: gzipSize(f) }));
  return { rows, raw: rows.reduce((s, r) => s + r.raw, 0), gzip: rows.reduce((s, r) => s + r.gzip, 0) };
}

/** Both measurements and the ratios. Throws if pkg/ holds no .wasm (nothing to measure). */
export function measureBoth(pkgDir) {
  const files = packageFiles(pkgDir);
  if (!files.some((f) => f.endsWith('.wasm'))) throw new Error(`no .wasm under ${pkgDir}: build the package first (scripts/build-pkg)`);
  const ours = measure(files, pkgDir);
  const bundle = bundleSdk();
  const theirs = measure([bundle], dirname(bundle));
  rmSync(dirname(bundle), { recursive: true, force: true });
  theirs.rows[0].file = '@wix/sdk createClient + OAuthStrategy (esbuild bundle)';
  const sdkVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/@wix/sdk/package.json'), 'utf8')).version;
  const esbuildVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/esbuild/package.json'), 'utf8')).version;
  return {
    ours,
    theirs,
    ratioRaw: ours.raw / theirs.raw,
    ratioGzip: ours.gzip / theirs.gzip,
    sdkVersion,
    esbuildVersion,
  };
}

const fmt = (n) => n.toLocaleString('en-US');

/** Plain-text report for the terminal. */
export function textReport(m) {
  const lines = ['file                                                      raw bytes   gzip -9'];
  const row = (name, raw, gz) => lines.push(`${name.padEnd(56)} ${fmt(raw).padStart(10)} ${fmt(gz).padStart(9)}`);
  for (const r of m.ours.rows) row(`  ours: ${r.file}`, r.raw, r.gzip);
  row('ours (total)', m.ours.raw, m.ours.gzip);
  row(`theirs: @wix/sdk ${m.sdkVersion} bundle`, m.theirs.raw, m.theirs.gzip);
  lines.push(`ratio ours/theirs: raw ${m.ratioRaw.toFixed(3)}, gzip ${m.ratioGzip.toFixed(3)}`);
  return lines.join('\n');
}

/** Markdown table (SIZE.md, RESULTS.md). */
export function markdownTable(m) {
  const lines = ['| What | raw bytes | gzip -9 bytes |', '|---|---:|---:|'];
  for (const r of m.ours.rows) lines.push(`| ours: \`${r.file}\` | ${fmt(r.raw)} | ${fmt(r.gzip)} |`);
  lines.push(`| **ours, total** | **${fmt(m.ours.raw)}** | **${fmt(m.ours.gzip)}** |`);
  lines.push(`| **theirs: @wix/sdk ${m.sdkVersion} \`createClient\` + \`OAuthStrategy\`** | **${fmt(m.theirs.raw)}** | **${fmt(m.theirs.gzip)}** |`);
  lines.push(`| ratio ours / theirs | ${m.ratioRaw.toFixed(3)} | ${m.ratioGzip.toFixed(3)} |`);
  return lines.join('\n');
}
