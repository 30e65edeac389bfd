// `npm run size` (after scripts/build-pkg): prints both sizes and writes bench/SIZE.md.
// `--check`: exit 1 when ours > 0.8 × theirs (gzip). `--no-write`: leave SIZE.md alone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, ESBUILD_FLAGS, measureBoth, textReport, markdownTable } from './lib/sizes.mjs';

const args = process.argv.slice(2);
const pkgDir = join(ROOT, args.find((a) => !a.startsWith('--')) ?? 'pkg');
const m = measureBoth(pkgDir);
console.log(textReport(m));

if (!args.includes('--no-write')) {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const md = `# Size: wix-headless-auth vs @wix/sdk

Measured ${new Date().toISOString().slice(0, 10)} by \`npm run size\` (scripts/size) at commit \`${commit}\`.

- **Ours** = every file a browser downloads from \`pkg/\` (built by \`scripts/build-pkg\`: wasm-pack
  \`--release --target web\`, wasm-opt from npm's binaryen): the \`.wasm\`, wasm-bindgen's JS glue and
  our JS entry \`index.js\`. Each file is compressed on its own (they are served as separate files).
- **Theirs** = \`import {createClient, OAuthStrategy} from '@wix/sdk'\` (both assigned to \`globalThis\`,
  \`bench/lib/sdk-entry.js\`) bundled by esbuild ${m.esbuildVersion} \`${ESBUILD_FLAGS.join(' ')}\`.
- gzip = \`gzip -9\` of each file's bytes read from stdin (no file name in the gzip header, so a few
  bytes under the \`gzip -9c FILE\` figures that scripts/build-pkg prints).

${markdownTable(m)}

Budget: ours ≤ ${m.budget} × theirs (gzip): ${m.withinBudget ? '**met**' : '**missed**'} (ratio ${m.ratioGzip.toFixed(3)}).
`;
  writeFileSync(join(ROOT, 'bench', 'SIZE.md'), md);
  console.log('wrote bench/SIZE.md');
}
if (args.includes('--check') && !m.withinBudget) process.exit(1);
