// A static file server on 127.0.0.1 (free port) for the bench pages, our pkg/ and the SDK bundle.
// `no-store`: every cold run pays the same full load for both clients. Uncompressed, unless
// `gzip` is set (for runs with an emulated network, where the bytes on the wire count): then
// what the browser accepts gzipped is sent as `gzip -9` would make it. `immutable(path)`, when
// given and true for a path, serves it as a hashed asset is served (cached for a year).
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { extname, normalize, join } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/**
 * `mounts`: URL prefix → directory. `pages`: exact path → HTML string. `gzip`: compress.
 * `immutable`: path → whether to let the browser cache it (asked on every request).
 */
export async function startServer({ mounts = {}, pages = {}, gzip = false, immutable = () => false }) {
  // Compressed once per path (the files do not change during a run), so that compressing costs
  // the machine's cores nothing while a page loads.
  const zipped = new Map();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const send = (status, type, body) => {
      const headers = { 'content-type': type, 'cache-control': immutable(path) ? 'public, max-age=31536000, immutable' : 'no-store' };
      if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        headers['content-encoding'] = 'gzip';
        if (!zipped.has(path)) zipped.set(path, gzipSync(body, { level: 9 }));
        body = zipped.get(path);
      }
      res.writeHead(status, headers);
      res.end(body);
    };
    if (pages[path] !== undefined) return send(200, TYPES['.html'], pages[path]);
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!path.startsWith(prefix)) continue;
      const rel = normalize(path.slice(prefix.length));
      if (rel.startsWith('..')) break;
      try {
        return send(200, TYPES[extname(rel)] ?? 'application/octet-stream', await readFile(join(dir, rel)));
      } catch {
        break;
      }
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  };
}
