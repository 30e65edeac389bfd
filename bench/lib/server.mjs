// A static file server on 127.0.0.1 (free port) for the bench pages, our pkg/ and the SDK bundle.
// Uncompressed and `no-store`: every cold run pays the same full load for both clients.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, normalize, join } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** `mounts`: URL prefix → directory. `pages`: exact path → HTML string. */
export async function startServer({ mounts = {}, pages = {} }) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
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
