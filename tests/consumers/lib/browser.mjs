// What the consumer test drivers share: start a server of a built fixture app and wait for it,
// open its page in headless Chromium (playwright-core, Debian's chromium) with every page error
// and failed load recorded, the emulator's request counters, and the flow every browser fixture
// must pass (a visitor, then a member by login + direct login, kept across a reload).
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';

const { chromium } = await import(process.env.PLAYWRIGHT_CORE ?? 'playwright-core');
export const emulator = process.env.EMULATOR_URL;
const children = new Set();
let browser;
after(async () => {
  await browser?.close();
  for (const child of children) child.kill();
});

/**
 * Runs `command args` in `cwd` and resolves once `url` answers (any status below 500), with
 * `stop()` to end it. Rejects with the server's output if it exits or does not answer in 60 s.
 */
export async function serve(command, args, url, { cwd, env } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const stop = () => new Promise((resolve) => {
    children.delete(child);
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill();
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) break;
    if (await fetch(url, { redirect: 'manual' }).then((r) => r.status < 500, () => false)) return { stop, log: () => log };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${command} ${args.join(' ')} did not serve ${url}:\n${log}`);
}

/** Runs a build command; its output is shown only when it fails. */
export function build(command, args, cwd, env) {
  try {
    execFileSync(command, args, { cwd, env: { ...process.env, ...env }, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${e.stdout}\n${e.stderr}`);
  }
}

/** A page of the app at `url` in a new browser context, its errors and warnings collected; waits for `window.app`. */
export async function open(url) {
  browser ??= await chromium.launch({
    executablePath: execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const warnings = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  // Chromium logs failed loads without their URL: record those from the responses instead.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') errors.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.app, null, { timeout: 30_000 });
  return { page, context, errors, warnings };
}

/** `url` with the emulator's URL in its query (how the static fixtures learn it). */
export const withEmulator = (url) => `${url}${url.includes('?') ? '&' : '?'}emulator=${encodeURIComponent(emulator)}`;

/** The emulator's count of anonymous grants so far: one per visitor minted. */
export async function visitorsMinted() {
  const { grants } = await (await fetch(`${emulator}/_emulator/stats`)).json();
  return grants.anonymous ?? 0;
}

/** Registers a new member (through the page's calls) and returns its email. */
export async function newMember({ page }, name) {
  const email = `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;
  assert.equal(await page.evaluate(([e]) => window.app.register(e, 'correct horse 4'), [email]), 'SUCCESS');
  return email;
}

/** A visitor, a new member signed in by login + direct login, still signed in after a reload. */
export async function visitorThenMember(opened, name) {
  const { page, errors } = opened;
  const visitor = await page.evaluate(() => window.app.headers());
  assert.equal(visitor.role, 'visitor');
  assert.ok(visitor.authorization.length > 10);

  const email = await newMember(opened, name);
  const signedIn = await page.evaluate(([e]) => window.app.signIn(e, 'correct horse 4'), [email]);
  assert.deepEqual(signedIn, { loginState: 'SUCCESS', role: 'member', loggedIn: true });
  assert.deepEqual(await page.evaluate(() => window.app.me()), { status: 200, email });

  await page.reload();
  await page.waitForFunction(() => window.app, null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => window.app.loggedIn()), true, 'the storage kept the member');
  assert.deepEqual(await page.evaluate(() => window.app.me()), { status: 200, email });
  assert.deepEqual(errors, []);
  return visitor;
}

/**
 * Checks, in the page `opened`, that its `<link rel="preload" as="fetch" type="application/wasm"
 * crossorigin>` names the `.wasm` the page fetched, that the module was downloaded once (the
 * entry's `fetch` took the preloaded response), that its request began before the page's script
 * (the one whose path is or matches `script`) had arrived, and that Chromium warned of no unused
 * preload. Returns the `.wasm`'s path.
 */
export async function preloadedOnce(opened, script) {
  const loads = await opened.page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => ({ path: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd }))
    .filter((e) => /\.(wasm|js)$/.test(e.path)));
  const wasm = loads.filter((e) => e.path.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `the module downloaded once: ${JSON.stringify(loads)}`);
  const scriptLoad = loads.find((e) => (typeof script === 'string' ? e.path === script : script.test(e.path)));
  assert.ok(scriptLoad && wasm[0].start < scriptLoad.end, `the .wasm was asked for before the script arrived: ${JSON.stringify(loads)}`);
  assert.deepEqual(opened.warnings.filter((w) => /preload/i.test(w)), [], 'no unused-preload warning');
  const link = await opened.page.$eval('link[rel=preload][as=fetch]', (l) => ({ path: new URL(l.href).pathname, type: l.type, crossOrigin: l.crossOrigin }));
  assert.deepEqual(link, { path: wasm[0].path, type: 'application/wasm', crossOrigin: 'anonymous' }, 'the link names the file fetched');
  return wasm[0].path;
}

/**
 * What the page's `<head>` script (`wix-headless-auth/preload`, or the Vite plugin's) left for the
 * entry, as text: '[object WebAssembly.Module]' when it compiled a module, 'null' when its
 * compile failed, 'undefined' without the script.
 */
export const headCompile = ({ page }) => page.evaluate(async () => String(await self[Symbol.for('wix-headless-auth.wasm')]?.module));
