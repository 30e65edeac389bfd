// Starts the release emulator on a free loopback port and talks to its dev endpoints.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './sizes.mjs';

export const CLIENT_ID = '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a';
export const API_KEY = 'emulator-dev-api-key';

/** Path of the release binary: EMULATOR_BIN, else this worktree's target/release. */
export function emulatorBin() {
  const bin = process.env.EMULATOR_BIN || join(ROOT, 'target', 'release', 'wix-auth-emulator');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: cargo build --release -p wix-auth-emulator`);
  return bin;
}

/** Spawns the emulator; resolves once it announced its URL (10 s at most). */
export async function startEmulator(args = []) {
  const child = spawn(emulatorBin(), ['--host', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A run that dies (an uncaught error, a closed stdout) must not leave its emulator running.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const lines = createInterface({ input: child.stdout });
  // Line 1: the API host; line 3 (`site: …`): the site host serving the hosted pages.
  const [url, siteUrl] = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start in 10 s: ${stderr}`)), 10_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited (${code}): ${stderr}`)); });
    const printed = [];
    lines.on('line', function first3(line) {
      printed.push(line);
      if (printed.length < 3) return;
      lines.off('line', first3);
      clearTimeout(timer);
      const api = /listening on (http:\/\/\S+)/.exec(printed[0]);
      const site = /^site: (http:\/\/\S+)/.exec(printed[2]);
      api && site ? resolve([api[1], site[1]].map((u) => u.replace(/\/$/, ''))) : reject(new Error(`unexpected lines: ${printed}`));
    });
  });
  lines.on('line', () => {}); // keep draining stdout
  return {
    url,
    siteUrl,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** JSON request to the emulator with a 10 s bound. */
export async function api(base, path, { method = 'GET', body, headers = {} } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = text; }
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return json;
}

/** Token requests the emulator has seen so far (every grant type together). */
export async function tokenRequests(base) {
  const s = await api(base, '/_emulator/stats');
  return Object.values(s.grants ?? {}).reduce((a, b) => a + b, 0);
}
