// The sections of a .wasm with their raw size and the `gzip -9` size of each section's bytes on
// its own: where a size change landed (names, code, data) without a names-kept rebuild. Custom
// sections are named after their own name (`custom:producers`).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start',
  'element', 'code', 'data', 'datacount', 'tag'];

export function wasmSections(path) {
  const bytes = readFileSync(path);
  let at = 8; // magic and version
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
    }
  };
  const sections = [];
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const start = at;
    let name = NAMES[id] ?? `unknown ${id}`;
    if (id === 0) {
      const length = leb();
      name = `custom:${bytes.subarray(at, at + length).toString()}`;
    }
    const body = bytes.subarray(start, start + size);
    sections.push({ name, raw: size, gzip: gzipSync(body, { level: 9 }).length });
    at = start + size;
  }
  return sections;
}
