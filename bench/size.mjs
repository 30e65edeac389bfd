// `npm run size` (after scripts/build-pkg): prints both sizes side by side and writes bench/SIZE.md.
// `--ceiling`: exit 1 when ours grew past bench/size-ceiling.txt (gzip bytes): the regression
// gate `npm test` runs (scripts/test.d/47-size.sh). There is no budget relative to @wix/sdk: the
// package is built on the crates it was designed with (bench/ANALYSIS.md, "Size").
// `--no-write`: leave SIZE.md alone. `--sections`: also each section of our .wasm, raw and gzip.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, ESBUILD_FLAGS, measureBoth, textReport, markdownTable } from './lib/sizes.mjs';
import { wasmSections } from './lib/wasm-sections.mjs';

const args = process.argv.slice(2);
const pkgDir = join(ROOT, args.find((a) => !a.startsWith('--')) ?? 'pkg');
const m = measureBoth(pkgDir);
console.log(textReport(m));
if (args.includes('--sections')) {
  console.log('\nsections of wix_headless_auth_bg.wasm     raw bytes   gzip -9 (each alone)');
  for (const s of wasmSections(join(pkgDir, 'wix_headless_auth_bg.wasm'))) {
    console.log(`  ${s.name.padEnd(36)}${String(s.raw).padStart(10)}${String(s.gzip).padStart(10)}`);
  }
}

if (!args.includes('--no-write')) {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const md = `# Size: wix-headless-auth vs @wix/sdk

Measured ${new Date().toISOString().slice(0, 10)} by \`npm run size\` (scripts/size) at commit \`${commit}\`.

- **Ours** = every file a browser downloads from \`pkg/\` (built by \`scripts/build-pkg\`: wasm-pack
  \`--release --target web\` with opt-level "z", wasm-opt with Cargo.toml's flags from npm's binaryen, then the
  names the \`.wasm\` and its glue share shortened by binaryen, scripts/minify-wasm-names.mjs): the \`.wasm\` and
  the browser entry \`index.js\` (our entry, factory and wasm-bindgen's glue in one esbuild-minified
  file). Each file is compressed on its own (they are served as separate files).
- **Theirs** = \`import {createClient, OAuthStrategy} from '@wix/sdk'\` (both assigned to \`globalThis\`,
  \`bench/lib/sdk-entry.js\`) bundled by esbuild ${m.esbuildVersion} \`${ESBUILD_FLAGS.join(' ')}\`.
- gzip = \`gzip -9\` of each file's bytes read from stdin (no file name in the gzip header, so a few
  bytes under the \`gzip -9c FILE\` figures that scripts/build-pkg prints).

${markdownTable(m)}

No budget relative to \`@wix/sdk\` is set; \`npm test\` holds a regression ceiling (\`bench/size-ceiling.txt\`).
`;
  writeFileSync(join(ROOT, 'bench', 'SIZE.md'), md);
  console.log('wrote bench/SIZE.md');
}
if (args.includes('--ceiling')) {
  const ceiling = Number(readFileSync(join(ROOT, 'bench', 'size-ceiling.txt'), 'utf8').trim());
  if (!(ceiling > 0)) throw new Error('bench/size-ceiling.txt must hold a number of gzip bytes');
  if (m.ours.gzip > ceiling) {
    console.log(`size ceiling: EXCEEDED: ${m.ours.gzip} > ${ceiling} gzip bytes (bench/size-ceiling.txt)`);
    process.exit(1);
  }
  console.log(`size ceiling: ok, ${m.ours.gzip} <= ${ceiling} gzip bytes (bench/size-ceiling.txt)`);
}
