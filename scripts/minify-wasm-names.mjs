// Gives the names the .wasm and its wasm-bindgen glue share short forms, after binaryen's
// `--minify-imports-and-exports-and-modules` has renamed them in the .wasm (scripts/build-pkg).
// wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` in the module
// "./wix_headless_auth_bg.js" and every export after its Rust item: ~200 names that the .wasm and
// the glue each carry in full, and whose hex digits do not compress (2.6 KB gzip in the .wasm
// alone, bench/ANALYSIS.md). wasm-bindgen has no option for shorter ones.
//
// usage: node scripts/minify-wasm-names.mjs <mapping.json printed by wasm-opt> <pkg dir>
// Rewrites <pkg>/wix_headless_auth.js (the import object's keys and module, every `wasm.<export>`)
// and the two .d.ts that list the exports, then checks the result against the minified module
// itself: any name the glue uses that the module lacks (a wasm-bindgen release that writes its
// glue differently) fails the build here rather than in a browser.
import fs from 'node:fs';
import path from 'node:path';

const [mapFile, dir] = process.argv.slice(2);
const mapping = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
const at = (f) => path.join(dir, f);
const wasmModule = new WebAssembly.Module(fs.readFileSync(at('wix_headless_auth_bg.wasm')));
const imports = WebAssembly.Module.imports(wasmModule);
const exports = new Set(WebAssembly.Module.exports(wasmModule).map((e) => e.name));
const fail = (why) => {
  throw new Error(`minify-wasm-names: ${why}`);
};

const GLUE_MODULE = './wix_headless_auth_bg.js';
const modules = new Set(imports.map((i) => i.module));
if (modules.size !== 1) fail(`the module imports from ${modules.size} modules, not one`);
const [shortModule] = modules;
if (!/^[A-Za-z_$][\w$]*$/.test(shortModule)) fail(`module name ${shortModule} is not an identifier`);

// Every name of the mapping is replaced where it stands as a whole word, and must stand exactly
// where it is expected: `count` times (imports: once, as a key of the import object).
const escape = (s) => s.replace(/[$]/g, '\\$');
function rename(text, before, after, old, short, count, file) {
  const re = new RegExp(`(?<![\\w$])${before}${escape(old)}${after}`, 'g');
  const found = text.match(re)?.length ?? 0;
  if (count !== undefined && found !== count) fail(`${file}: ${old} found ${found} times, expected ${count}`);
  return text.replace(re, (m) => m.replace(old, short));
}

let glue = fs.readFileSync(at('wix_headless_auth.js'), 'utf8');
for (const [module, name, short] of mapping.imports) {
  if (module !== GLUE_MODULE) fail(`import ${name} comes from ${module}`);
  glue = rename(glue, '', '(?=: function\\()', name, short, 1, 'glue');
}
const moduleKey = `"${GLUE_MODULE}": import0`;
if (!glue.includes(moduleKey)) fail('the glue no longer names its import module as expected');
glue = glue.replace(moduleKey, `${shortModule}: import0`);
for (const [name, short] of mapping.exports) {
  glue = rename(glue, 'wasm\\.', '(?![\\w$])', name, short, undefined, 'glue');
}
for (const [, used] of glue.matchAll(/(?<![\w$])wasm\.([\w$]+)/g)) {
  if (!exports.has(used)) fail(`the glue calls wasm.${used}, which the minified module does not export`);
}
const imported = new Set(imports.map((i) => i.name));
for (const [, , short] of mapping.imports) {
  if (!imported.has(short)) fail(`the mapping names import ${short}, which the module does not have`);
}
fs.writeFileSync(at('wix_headless_auth.js'), glue);

// The types of `initSync`'s result and of the .wasm's own exports (wasm-bindgen leaves some
// exports, such as its abort handler, out of them).
for (const [file, before, scope] of [
  ['wix_headless_auth.d.ts', 'readonly ', /export interface InitOutput \{[^}]*\}/],
  ['wix_headless_auth_bg.wasm.d.ts', 'export const ', /[^]*/],
]) {
  let dts = fs.readFileSync(at(file), 'utf8');
  const block = dts.match(scope)?.[0] ?? fail(`${file}: the list of exports was not found`);
  let renamed = block;
  for (const [name, short] of mapping.exports) renamed = rename(renamed, before, '(?=:)', name, short, undefined, file);
  for (const [, name] of renamed.matchAll(new RegExp(`${before}([\\w$]+):`, 'g'))) {
    if (!exports.has(name)) fail(`${file} declares ${name}, which the minified module does not export`);
  }
  fs.writeFileSync(at(file), dts.replace(block, () => renamed));
}
