// Benchmark 5: the emulator under wrk on loopback (release build, SQLite file in WAL mode).
// Each scenario is bounded in time (WRK_SECONDS, default 10 s); wrk runs with bench/wrk/ as cwd.
// WRK_ONLY=anonymous,login (script names) runs only those scenarios, for quick A/B runs.
// WRK_ROUNDS=N runs them N times on the same database, which grows: `WRK_ONLY=login WRK_ROUNDS=6`
// shows whether login latency stays flat as it does (each round logs the database's size).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, api, CLIENT_ID, API_KEY } from './lib/emulator.mjs';

const WRK_DIR = fileURLToPath(new URL('./wrk/', import.meta.url));

function runWrk(script, url, env, { seconds, threads, connections }) {
  return new Promise((resolve, reject) => {
    const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', script, url];
    const child = spawn('wrk', args, { cwd: WRK_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const kill = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
      if (code !== 0 || !line) return reject(new Error(`wrk ${script} exited ${code}: ${stderr}${stdout}`));
      const r = JSON.parse(line.slice('WRK_JSON '.length));
      r.rps = r.requests / (r.duration_us / 1e6);
      r.socket_errors = r.connect_errors + r.read_errors + r.write_errors + r.timeouts;
      resolve(r);
    });
  });
}

/** Rows in the tokens table, by kind (read with the sqlite3 CLI while the server runs; WAL allows it). */
function tokenRows(db) {
  const out = execFileSync('sqlite3', [db, "SELECT kind, count(*) FROM tokens GROUP BY kind"], { encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').filter(Boolean).map((l) => { const [k, n] = l.split('|'); return [k, Number(n)]; }));
}

/** Size of the database file and its WAL, MiB. */
function databaseMiB(db) {
  return [db, `${db}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0) / 1048576;
}

/** CPU time (user + system, µs) the process has used so far; null where /proc is missing. On a
 * shared machine this is steadier than req/s, which depends on what else runs. */
function cpuMicros(pid) {
  try {
    // Fields after the `(comm)`: state is field 3, utime 14, stime 15 (in clock ticks, 100/s on Linux).
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000;
  } catch {
    return null;
  }
}

export async function runWrkBench({ seconds = 10, threads = 2, connections = 64, log = () => {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-emulator-'));
  const db = join(dir, 'emulator.db');
  const emu = await startEmulator(['--db', db]);
  const results = { seconds, threads, connections, scenarios: {} };
  try {
    // Secrets for the scenarios: a visitor's refresh token, a member (register) and its access token.
    const visitor = await api(emu.url, '/oauth2/token', { method: 'POST', body: { grantType: 'anonymous', clientId: CLIENT_ID } });
    const email = 'bench-member@example.com', password = 'bench-Passw0rd!';
    // Identity calls carry a visitor's access token, as the live service requires.
    const asVisitor = { authorization: visitor.access_token };
    const reg = await api(emu.url, '/_api/iam/authentication/v2/register', { method: 'POST', headers: asVisitor, body: { loginId: { email }, password } });
    const memberId = reg.identity?.id;
    if (reg.state !== 'SUCCESS' || !memberId) throw new Error(`register: ${JSON.stringify(reg).slice(0, 300)}`);
    const member = await api(emu.url, '/oauth2/token', {
      method: 'POST',
      headers: { authorization: `,${API_KEY}` },
      body: { grant_type: 'authorized_client', scope: 'offline_access', member_id: memberId },
    });
    const env = {
      WIX_CLIENT_ID: CLIENT_ID,
      WIX_REFRESH_TOKEN: visitor.refresh_token,
      WIX_VISITOR_TOKEN: visitor.access_token,
      WIX_MEMBER_TOKEN: member.access_token,
      WIX_EMAIL: email,
      WIX_PASSWORD: password,
    };
    const scenarios = [
      ['anonymous grant', 'anonymous.lua', '/oauth2/token'],
      ['refresh grant', 'refresh.lua', '/oauth2/token'],
      ['GET /members/v1/members/my', 'members.lua', '/members/v1/members/my'],
      ['login', 'login.lua', '/_api/iam/authentication/v2/login'],
    ];
    const only = process.env.WRK_ONLY ? process.env.WRK_ONLY.split(',').map((s) => `${s.trim()}.lua`) : null;
    const rounds = Number(process.env.WRK_ROUNDS || 1);
    const runs = Array.from({ length: rounds }, (_, i) => scenarios
      .filter(([, s]) => !only || only.includes(s))
      .map(([name, script, path]) => [rounds > 1 ? `${name} #${i + 1}` : name, script, path])).flat();
    for (const [name, script, path] of runs) {
      const before = tokenRows(db);
      const cpuBefore = cpuMicros(emu.pid);
      const r = await runWrk(script, emu.url + path, env, { seconds, threads, connections });
      const cpuAfter = cpuMicros(emu.pid);
      const after = tokenRows(db);
      r.emulator_cpu_us_per_request = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / r.requests;
      r.tokensStored = { access: (after.access ?? 0) - (before.access ?? 0), refresh: (after.refresh ?? 0) - (before.refresh ?? 0) };
      results.scenarios[name] = r;
      log(`wrk ${name}: ${Math.round(r.rps)} req/s, p99 ${(r.p99_us / 1000).toFixed(2)} ms, non-2xx ${r.non2xx}, socket errors ${r.socket_errors}, emulator CPU ${r.emulator_cpu_us_per_request?.toFixed(1)} µs/request, tokens stored +${r.tokensStored.access}/+${r.tokensStored.refresh}, database ${databaseMiB(db).toFixed(1)} MiB`);
    }
  } finally {
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.env.WRK_SECONDS || 10);
  console.log(JSON.stringify(await runWrkBench({ seconds, log: console.error }), null, 2));
}
