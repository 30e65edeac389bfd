// Conformance harness: runs the real wix-auth-emulator binary and points the real @wix/sdk at it.
//
// The only stand-in is the network route: a `globalThis.fetch` wrapper sends requests meant for the
// Wix API hosts to the emulator instead (the real service is not reachable from here). Every rewritten
// request and its answer is recorded so that tests can assert what the SDK sent.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import vm from 'node:vm';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The emulator's default client id (its `--client-id` default). */
export const CLIENT_ID = '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a';
/** The emulator's default API key (its `--api-key` default). */
export const DEFAULT_API_KEY = 'emulator-dev-api-key';
/** The storefront the tests pretend to be. */
export const APP_ORIGIN = 'http://localhost:3000';
export const REDIRECT_URI = `${APP_ORIGIN}/callback`;
export const POST_LOGOUT_URL = `${APP_ORIGIN}/`;
/** Where a password reset returns to: reset redirect URLs must be allowed redirect URIs. */
export const RESET_DONE_URL = `${APP_ORIGIN}/reset-done`;
/** Flags that register the storefront above with the emulator. */
export const APP_FLAGS = [
  '--redirect-uri', REDIRECT_URI,
  '--redirect-uri', POST_LOGOUT_URL,
  '--redirect-uri', RESET_DONE_URL,
  '--allowed-origin', APP_ORIGIN,
];

/** Hosts of the real Wix service that the SDK may call. */
const WIX_HOST = /(^|\.)wixapis\.com$/;

const realFetch = globalThis.fetch;

/** The emulator binary: $EMULATOR_BIN, else the workspace's debug build. */
export function emulatorBin() {
  return process.env.EMULATOR_BIN || join(repoRoot, 'target', 'debug', 'wix-auth-emulator');
}

/**
 * Starts an emulator on a free port with a fresh database and routes Wix traffic to it.
 * Returns the handle; call `stop()` (tests do it in `after`).
 */
export async function startEmulator(flags = []) {
  const dir = mkdtempSync(join(tmpdir(), 'wix-conformance-'));
  const args = ['--host', '127.0.0.1', '--port', '0', '--db', join(dir, 'emulator.db'), ...flags];
  const child = spawn(emulatorBin(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const lines = createInterface({ input: child.stdout });
  // Two origins, as the live service: line 1 names the API host, line 3 the site host that
  // serves the hosted pages (`site: <url>`).
  const printed = [];
  const [baseUrl, siteUrl] = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not print its listening line within 15 s; stderr:\n${stderr}`)), 15000);
    child.once('error', (e) => { clearTimeout(timer); reject(new Error(`cannot start ${emulatorBin()}: ${e.message}`)); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited with ${code} before listening; args ${args.join(' ')}; stderr:\n${stderr}`)); });
    const onLine = (line) => {
      printed.push(line.trim());
      if (printed.length < 3) return;
      lines.off('line', onLine);
      clearTimeout(timer);
      const api = /^wix-auth-emulator listening on (http:\/\/\S+?)\/?$/.exec(printed[0]);
      const site = /^site: (http:\/\/\S+?)\/?$/.exec(printed[2]);
      if (api && site) resolveUrl([api[1], site[1]]);
      else reject(new Error(`unexpected stdout lines: ${JSON.stringify(printed)}`));
    };
    lines.on('line', onLine);
  });
  child.removeAllListeners('exit');
  // If the test process dies without `after` running, take the emulator with it.
  const orphanGuard = () => { if (child.exitCode === null) child.kill('SIGKILL'); };
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  lines.on('line', () => {}); // keep draining stdout

  const emu = {
    baseUrl,
    /** The site host: the hosted pages (`fullUrl`, logout, the reset link). */
    siteUrl,
    /** Every request the SDK sent to a Wix host, with the emulator's answer. */
    requests: [],
    stderr: () => stderr,
    /** Requests whose path ends with `suffix` (e.g. '/oauth2/token'). */
    sent(suffix) { return this.requests.filter((r) => r.path.endsWith(suffix)); },
    /** The last request whose path ends with `suffix`. */
    last(suffix) { return this.sent(suffix).at(-1); },
    async stop() {
      const i = running.indexOf(emu);
      if (i >= 0) running.splice(i, 1);
      if (!running.length && globalThis.fetch === routed) globalThis.fetch = realFetch;
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
    /** GET/POST on the emulator itself (dev endpoints, hosted pages); not recorded. */
    fetch(path, init) { return realFetch(new URL(path, baseUrl), init); },
    async json(path, init) {
      const res = await this.fetch(path, init);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${init?.method ?? 'GET'} ${path} → ${res.status}: ${text}`);
      return JSON.parse(text);
    },
  };

  running.push(emu);
  globalThis.fetch = routed;
  return emu;
}

/** Started and not yet stopped; Wix traffic goes to the newest. */
const running = [];

/** The fetch wrapper: Wix hosts → the newest running emulator, recorded there; the rest untouched. */
async function routed(input, init = {}) {
  const req = new Request(input, init);
  const original = new URL(req.url);
  if (!WIX_HOST.test(original.hostname)) return realFetch(input, init);
  const emu = running.at(-1);
  const target = new URL(original.pathname + original.search, emu.baseUrl);
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.text();
  const headers = Object.fromEntries(req.headers);
  const res = await realFetch(target, { method: req.method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let bodyJson;
  let responseJson;
  try { bodyJson = body ? JSON.parse(body) : undefined; } catch { /* not JSON */ }
  try { responseJson = JSON.parse(text); } catch { /* not JSON */ }
  emu.requests.push({
    method: req.method, url: original.href, host: original.host, path: original.pathname,
    headers, body, bodyJson, status: res.status, responseText: text, responseJson, responseHeaders: res.headers,
  });
  const nullBody = [101, 204, 205, 304].includes(res.status);
  return new Response(nullBody ? null : text, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** A unique e-mail address for one test. */
let seq = 0;
export function uniqueEmail(tag = 'member') {
  seq += 1;
  return `${tag}-${process.pid}-${Date.now()}-${seq}@example.com`;
}

/** Mail the emulator "sent" to `email` (its dev outbox), as the emulator returns it. */
export async function outbox(emu, email) {
  return emu.json(`/_emulator/outbox?email=${encodeURIComponent(email)}`);
}

/** The messages of an outbox answer, whatever its envelope (`[...]` or `{messages:[...]}`). */
export function messagesOf(box) {
  if (Array.isArray(box)) return box;
  for (const key of ['messages', 'outbox', 'items', 'emails']) if (Array.isArray(box?.[key])) return box[key];
  throw new Error(`outbox answer has no message list: ${JSON.stringify(box)}`);
}

/** The newest verification code for `email` (a run of 4–8 digits in a `code` field or the text). */
export async function latestVerificationCode(emu, email) {
  const msgs = messagesOf(await outbox(emu, email));
  for (const m of [...msgs].reverse()) {
    if (typeof m.code === 'string' && m.code) return m.code;
    const found = /\b(\d{4,8})\b/.exec(JSON.stringify(m));
    if (found) return found[1];
  }
  throw new Error(`no verification code for ${email} in ${JSON.stringify(msgs)}`);
}

// ---------------------------------------------------------------------------------------------
// Hosted pages (the authorize page, the logout page): driven over HTTP like a browser would.

/** A tiny cookie jar for driving hosted pages with redirect: 'manual'. */
export class CookieJar {
  constructor() { this.cookies = new Map(); }
  take(res) {
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      if (i > 0) this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
  }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
}

/** GET a page the way a browser does (cookies, no automatic redirects). */
export async function browserGet(url, jar, extraHeaders = {}) {
  const res = await realFetch(url, {
    redirect: 'manual',
    headers: { Accept: 'text/html', ...(jar.header() && { Cookie: jar.header() }), ...extraHeaders },
  });
  jar.take(res);
  return res;
}

function decodeEntities(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&#x2F;|&#47;/g, '/').replace(/&amp;/g, '&');
}

function attrs(tag) {
  const out = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** Every <form> of a page: `{action, method, fields:[{name,type,value}], html}`. */
export function parseForms(html, pageUrl) {
  const forms = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const a = attrs(m[1]);
    const fields = [];
    for (const f of m[2].matchAll(/<(input|button|select|textarea)\b([^>]*)>/gi)) {
      const fa = attrs(f[2]);
      if (!fa.name) continue;
      fields.push({ tag: f[1].toLowerCase(), name: fa.name, type: (fa.type ?? (f[1].toLowerCase() === 'button' ? 'submit' : 'text')).toLowerCase(), value: fa.value ?? '', checked: 'checked' in fa });
    }
    forms.push({ action: new URL(a.action || pageUrl, pageUrl).href, method: (a.method || 'get').toUpperCase(), fields, html: m[0] });
  }
  return forms;
}

/**
 * The form of a hosted page that does `kind` ('login' | 'signup' | 'reset'): the form with a password field
 * whose action, fields or labels name the kind. Throws with the page when there is none.
 */
export function findForm(html, pageUrl, kind) {
  const forms = parseForms(html, pageUrl).filter((f) => f.fields.some((x) => x.type === 'password'));
  const kinds = { login: /log-?in|sign-?in/i, signup: /sign-?up|register|create/i, reset: /reset|new password|set password/i };
  const words = kinds[kind];
  const other = kind === 'signup' ? kinds.login : kinds.signup;
  const scored = forms.map((f) => {
    const hay = `${f.action} ${f.fields.map((x) => `${x.name}=${x.value}`).join(' ')} ${f.html.replace(/<[^>]*>/g, ' ')}`;
    return { f, score: (words.test(hay) ? 2 : 0) - (other.test(f.action) ? 1 : 0) };
  }).sort((x, y) => y.score - x.score);
  if (!scored.length || scored[0].score <= 0) {
    throw new Error(`no ${kind} form with a password field on ${pageUrl}:\n${html.slice(0, 3000)}`);
  }
  // One form may serve both (two submit buttons): submit with the button that names the kind.
  const { f } = scored[0];
  const buttons = f.fields.filter((x) => x.type === 'submit');
  const submit = buttons.find((b) => words.test(`${b.name}=${b.value}`)) ?? buttons[0];
  return { ...f, submit };
}

/** Fill a form: email/password by field type or name; other values kept (hidden fields); one submit button. */
export function fillForm(form, { email, password, extra = {} }) {
  const body = new URLSearchParams();
  let submitted = false;
  for (const f of form.fields) {
    if (f.type === 'submit') {
      const chosen = form.submit ? f === form.submit : !submitted;
      if (chosen && f.value) { body.append(f.name, f.value); submitted = true; }
      continue;
    }
    if (f.name in extra) continue;
    if (f.type === 'password') body.append(f.name, password);
    else if (f.type === 'email' || /e-?mail|login/i.test(f.name) && f.type !== 'hidden') body.append(f.name, email);
    else if (f.type === 'checkbox' || f.type === 'radio') { if (f.checked) body.append(f.name, f.value || 'on'); }
    else body.append(f.name, f.value);
  }
  for (const [k, v] of Object.entries(extra)) body.append(k, v);
  return body;
}

/** POST a form like a browser (urlencoded, cookies, Origin/Referer of the page, no auto-redirect). */
export async function submitForm(form, body, jar, pageUrl) {
  const res = await realFetch(form.action, {
    method: form.method,
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: new URL(pageUrl).origin,
      Referer: pageUrl,
      ...(jar.header() && { Cookie: jar.header() }),
    },
    body: body.toString(),
  });
  jar.take(res);
  return res;
}

/**
 * Follows redirects (manually, keeping cookies) while they stay on `stayOrigin`;
 * returns the first Location outside it (the app's URL), or throws with the last answer.
 */
export async function followUntilLeaving(res, stayOrigin, jar, from) {
  let current = res;
  let url = from;
  for (let hops = 0; hops < 10; hops += 1) {
    if (current.status < 300 || current.status >= 400) {
      const text = await current.text();
      throw new Error(`expected a redirect out of ${stayOrigin}, got ${current.status} at ${url}:\n${text.slice(0, 2000)}`);
    }
    const location = new URL(current.headers.get('location'), url).href;
    if (new URL(location).origin !== stayOrigin) return location;
    url = location;
    current = await browserGet(location, jar);
  }
  throw new Error('more than 10 redirects');
}

/**
 * Runs the inline scripts of a page in a sandbox whose `window.parent.postMessage` /
 * `window.opener.postMessage` record their calls. Returns `[{message, targetOrigin}]`.
 * This is what a browser would deliver to the parent frame, without trusting any regex over the script.
 */
export function capturePostMessages(html, pageUrl, referrer) {
  const posted = [];
  const target = { postMessage: (message, targetOrigin) => posted.push({ message: structuredClone(message), targetOrigin }) };
  const loc = new URL(pageUrl);
  const documentStub = {
    referrer: referrer ?? '',
    readyState: 'complete',
    addEventListener: (ev, fn) => { if (ev === 'DOMContentLoaded') queue.push(fn); },
    getElementById: () => null,
    querySelector: () => null,
    body: { appendChild: () => {} },
    location: loc,
  };
  const queue = [];
  const windowStub = {
    parent: target, opener: target, top: target,
    location: { href: loc.href, origin: loc.origin, search: loc.search, hash: loc.hash, replace: () => {}, assign: () => {} },
    document: documentStub,
    addEventListener: (ev, fn) => { if (ev === 'load' || ev === 'DOMContentLoaded') queue.push(fn); },
    setTimeout: (fn) => queue.push(fn), close: () => {},
    JSON, URL, URLSearchParams, console,
  };
  const context = vm.createContext({ ...windowStub });
  context.window = context;
  context.self = context;
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter((m) => !/\bsrc\s*=/.test(m[1]) && !/type\s*=\s*["']?(application\/json|text\/template)/i.test(m[1]))
    .map((m) => m[2]);
  for (const code of scripts) vm.runInContext(code, context, { timeout: 1000 });
  while (queue.length) queue.shift()({ type: 'load' });
  return posted;
}
