#!/usr/bin/env node
// A tiny static server for the demo: `www-demo/` at `/`, the built package `pkg/` at `/pkg/`.
// No npm dependencies, so it runs on a fresh checkout before anything is installed.
//
//   node scripts/serve-static.mjs [--host 127.0.0.1] [--port 8080] [--root www-demo] [--pkg pkg (env PKG_DIR)]
//                                 [--emulator-url URL] [--client-id ID]
//
// --emulator-url / --client-id (or env EMULATOR_URL / CLIENT_ID) override what `config.js` says, so
// the demo can talk to an emulator on another port without editing the file.
// Prints `serving http://HOST:PORT` once listening (port 0 picks a free one).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: process.env.DEMO_PORT ?? '8080' },
    root: { type: 'string', default: 'www-demo' },
    pkg: { type: 'string', default: process.env.PKG_DIR ?? 'pkg' },
    'emulator-url': { type: 'string', default: process.env.EMULATOR_URL },
    'client-id': { type: 'string', default: process.env.CLIENT_ID },
  },
});

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const mounts = [
  { prefix: '/pkg/', dir: resolve(opts.pkg) },
  { prefix: '/', dir: resolve(opts.root) },
];

const overrides = {};
if (opts['emulator-url']) overrides.baseUrl = opts['emulator-url'].replace(/\/+$/, '');
if (opts['client-id']) overrides.clientId = opts['client-id'];

/** Maps a URL path to a file inside one of the mounts, or null if it would leave it. */
function fileFor(pathname) {
  for (const { prefix, dir } of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(pathname.slice(prefix.length)));
    const file = join(dir, rel);
    if (file !== dir && !file.startsWith(dir + sep)) return null;
    return file;
  }
  return null;
}

async function load(file) {
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) return load(join(file, 'index.html'));
  if (!info?.isFile()) return null;
  return { file, body: await readFile(file) };
}

const server = createServer(async (req, res) => {
  // The emulator's web_message page reads Referer/Origin to learn who embeds it: keep the origin.
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-cache');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname;
  try {
    pathname = new URL(req.url, 'http://x').pathname;
  } catch {
    res.writeHead(400).end();
    return;
  }
  const file = fileFor(pathname);
  const found = file && (await load(file).catch(() => null));
  if (!found) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${pathname}\n`);
    return;
  }
  let body = found.body;
  if (pathname === '/config.js' && Object.keys(overrides).length) {
    body = Buffer.concat([body, Buffer.from(`\n// overridden by serve-static.mjs\nObject.assign(config, ${JSON.stringify(overrides)});\n`)]);
  }
  res.writeHead(200, {
    'Content-Type': MIME[extname(found.file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
});

server.listen(Number(opts.port), opts.host, () => {
  const { address, port } = server.address();
  console.log(`serving http://${address}:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)).closeAllConnections());
}
