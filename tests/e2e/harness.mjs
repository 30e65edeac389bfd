// What every e2e test file needs: a running emulator + demo server pair on free ports, Debian's
// Chromium through playwright-core, and a page per test that leaves a screenshot behind.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EMULATOR_BIN = process.env.EMULATOR_BIN ?? join(ROOT, 'target/release/wix-auth-emulator');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'artifacts/e2e');
const HOST = '127.0.0.1';
const STARTUP_MS = 15_000;

// docs/toolchain.md, trap 8: without the background-networking flags Chromium floods the closed network.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns a server and resolves with the first stdout line matching `pattern` (its match). */
function startServer(name, cmd, args, pattern) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  // Should the test process end without `stop()` (a crash, a timeout), take the server along.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.removeListener('exit', orphanGuard));
  const output = [];
  const remember = (line) => {
    output.push(line);
    if (output.length > 200) output.shift();
  };
  createInterface({ input: child.stderr }).on('line', remember);
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${STARTUP_MS} ms:\n${output.join('\n')}`)), STARTUP_MS);
    createInterface({ input: child.stdout }).on('line', (line) => {
      remember(line);
      const m = line.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output.join('\n')}`));
    });
  });
  return { child, ready, output };
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/**
 * Starts an emulator (in-memory db, `emulatorFlags` added) that allows the demo's origin and
 * callback URL, a demo server pointed at it, and a Chromium. `stop()` ends all three.
 */
export async function startStack({ emulatorFlags = [] } = {}) {
  const demoPort = await freePort();
  const demoUrl = `http://${HOST}:${demoPort}`;
  const emulator = startServer('wix-auth-emulator', EMULATOR_BIN, [
    '--host', HOST, '--port', '0', '--db', ':memory:',
    '--allowed-origin', demoUrl, '--redirect-uri', `${demoUrl}/callback.html`,
    '--redirect-uri', `${demoUrl}/?password-reset=done`,
    ...emulatorFlags,
  ], /^site: (http:\/\/\S+)/);
  const children = [emulator.child];
  try {
    // Two origins, as the live service: the API host (first line) and the site host serving
    // the hosted pages (third line, the one waited for).
    const [, siteUrl] = await emulator.ready;
    const emulatorUrl = emulator.output.map((l) => l.match(/listening on (http:\/\/\S+)/)?.[1]).find(Boolean);
    const demo = startServer('demo server', process.execPath, [
      'scripts/serve-static.mjs', '--host', HOST, '--port', String(demoPort), '--emulator-url', emulatorUrl,
    ], /serving (http:\/\/\S+)/);
    children.push(demo.child);
    await demo.ready;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    return {
      demoUrl,
      emulatorUrl,
      siteUrl,
      browser,
      emulatorLog: emulator.output,
      async stop() {
        await browser.close().catch(() => {});
        await Promise.all(children.map(stopChild));
      },
    };
  } catch (err) {
    await Promise.all(children.map(stopChild));
    throw err;
  }
}

/**
 * One stack for the test file: started before its first test (then `setup(stack)` runs, if
 * given), stopped after its last. The returned object is filled in by then (`stack.demoUrl`, …).
 * One hook does both: node 20 runs a file's top-level `before` hooks concurrently.
 */
export function useStack({ setup, ...options } = {}) {
  const stack = {};
  before(async () => {
    Object.assign(stack, await startStack(options));
    await setup?.(stack);
  });
  after(async () => { await stack.stop?.(); });
  return stack;
}

/** JSON from the emulator (dev endpoints, or the public API for test fixtures). */
export async function emulatorJson(stack, path, { method = 'GET', body, headers = {} } = {}) {
  const res = await fetch(new URL(path, stack.emulatorUrl), {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json };
}

/**
 * Runs `fn(page)` in a fresh browser context (empty localStorage) and always saves a screenshot to
 * artifacts/e2e/NAME.png, failing or not. A failure also reports what the page logged.
 */
export async function withPage(stack, name, fn) {
  const context = await stack.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const log = [];
  page.on('console', (msg) => log.push(`[console.${msg.type()}] ${msg.text()}`));
  page.on('pageerror', (err) => log.push(`[pageerror] ${err.message}`));
  page.on('requestfailed', (req) => log.push(`[requestfailed] ${req.method()} ${req.url()} ${req.failure()?.errorText}`));
  try {
    await fn(page, context);
  } catch (err) {
    err.message += `\n--- page log (${page.url()}) ---\n${log.join('\n')}`;
    throw err;
  } finally {
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }).catch(() => {});
    await context.close();
  }
}

/** Waits until `selector`'s text contains `expected`; the timeout error says what it was instead. */
export async function waitForText(page, selector, expected, timeout = 10_000) {
  try {
    await page.waitForFunction(
      ([sel, text]) => document.querySelector(sel)?.textContent.includes(text),
      [selector, expected],
      { timeout },
    );
  } catch (err) {
    const actual = await page.locator(selector).first().textContent({ timeout: 500 }).catch(() => '(missing)');
    throw new Error(`expected ${selector} to contain ${JSON.stringify(expected)}, it says ${JSON.stringify(actual)} (${err.message.split('\n')[0]})`);
  }
}

/** Opens the shop page and waits until it has decided who you are. */
export async function openShop(page, stack, path = '/') {
  await page.goto(new URL(path, stack.demoUrl).href);
  await waitForReady(page);
}

/**
 * Clicks the shop's Sign out and waits until the browser went through the site's logout URL
 * and the shop page that follows is ready. (Waiting for the shop's URL alone would match the page
 * the click was made on, which has that URL already.)
 */
export async function signOut(page, stack) {
  const logout = page.waitForRequest((r) => r.url().startsWith(`${stack.siteUrl}/_api/oauth2/logout`), { timeout: 15_000 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await logout;
  await page.waitForURL(`${stack.demoUrl}/`, { waitUntil: 'load' });
  await waitForReady(page);
}

export async function waitForReady(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
}

/** The text shown in one element, trimmed. */
export async function textOf(page, selector) {
  return (await page.locator(selector).first().textContent())?.trim();
}

/** How many token requests of one grant type the emulator has served (`/_emulator/stats`). */
export async function grantCount(stack, grant) {
  const { status, json } = await emulatorJson(stack, '/_emulator/stats');
  if (status !== 200) throw new Error(`/_emulator/stats answered ${status}`);
  const n = json.grants?.[grant] ?? 0;
  if (typeof n !== 'number') throw new Error(`unexpected stats shape: ${JSON.stringify(json)}`);
  return n;
}

export const CLIENT_ID = '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a';

/** Registers a member through the public API, as another shopper's browser would have. */
export async function createMember(stack, { email, password, firstName, lastName }) {
  const token = await emulatorJson(stack, '/oauth2/token', { method: 'POST', body: { grantType: 'anonymous', clientId: CLIENT_ID } });
  if (token.status !== 200) throw new Error(`anonymous token: ${token.status} ${JSON.stringify(token.json)}`);
  const res = await emulatorJson(stack, '/_api/iam/authentication/v2/register', {
    method: 'POST',
    headers: { Authorization: token.json.access_token },
    body: { loginId: { email }, password, profile: { firstName, lastName } },
  });
  if (res.status !== 200) throw new Error(`register ${email}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** The emulator's outbox for one address, newest last. */
export async function outbox(stack, email) {
  const { status, json } = await emulatorJson(stack, `/_emulator/outbox?email=${encodeURIComponent(email)}`);
  if (status !== 200) throw new Error(`/_emulator/outbox answered ${status}`);
  return Array.isArray(json) ? json : json.messages;
}

/** An extra screenshot of a moment worth seeing (withPage takes the final one). */
export async function snap(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Fills and submits the shop's own sign-in / create-account form. */
export async function submitAccountForm(page, mode, { email, password, firstName, lastName }) {
  const form = page.getByRole('form', { name: 'Email sign-in' });
  const choice = form.getByRole('group', { name: 'Sign in or create an account' });
  const label = mode === 'register' ? 'Create account' : 'Sign in';
  await choice.getByRole('button', { name: label }).click();
  if (mode === 'register') {
    await form.getByLabel('First name').fill(firstName ?? '');
    await form.getByLabel('Last name').fill(lastName ?? '');
  }
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  // The submit button is the last one named like the choice (the choice comes first).
  await form.getByRole('button', { name: label, exact: true }).last().click();
}
