// Consumer: wix-headless-auth/cookie in Node, over a cookie jar shaped like the frameworks' (a
// Next.js `cookies()` / Astro `Astro.cookies`: `get(name)?.value`, `set(name, value, options)`),
// against the emulator: the session a request writes is the next request's, with no second
// visitor; a bad cookie is never trusted; a read-only jar (a Next.js server component) still
// serves the request; sign-out deletes the cookie; an oversized session is a typed error. In a
// page (stand-ins for `document.cookie`, the Cookie Store API and BroadcastChannel), a cookie's
// change is announced to the tabs once this tab's `document.cookie` shows it.
// Run in the fixture app: EMULATOR_URL=… node --test cookie.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthStrategy } from 'wix-headless-auth';
import { WIX_SESSION_COOKIE, createCookieStorage, readWixSession } from 'wix-headless-auth/cookie';
import { memberTokensFromSession } from './server-login.mjs';

const baseUrl = process.env.EMULATOR_URL;
const clientId = '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a';
const redirectUri = 'http://localhost:8080/callback.html';
const visitorsMinted = async () => (await (await fetch(`${baseUrl}/_emulator/stats`)).json()).grants.anonymous ?? 0;

/** A framework's cookie jar: what the request brought, and every Set-Cookie written. */
function jar(value) {
  const cookies = new Map(value === undefined ? [] : [[WIX_SESSION_COOKIE, value]]);
  const writes = [];
  return {
    writes,
    get: (name) => (cookies.has(name) ? { name, value: cookies.get(name) } : undefined),
    set(name, v, options) {
      writes.push({ name, value: v, options });
      cookies.set(name, v);
    },
  };
}
const strategy = (cookies, responseCookies) =>
  OAuthStrategy({ clientId, baseUrl, storage: createCookieStorage({ clientId, cookies, responseCookies }) });

test('a visitor minted in one request is the next request\'s: one cookie, no second visitor', async () => {
  const before = await visitorsMinted();
  const first = jar();
  const { headers } = await strategy(first).getAuthHeaders();
  assert.equal(first.writes.length, 1);
  const [{ name, value, options }] = first.writes;
  assert.equal(name, 'wixSession');
  assert.deepEqual(options, { path: '/', sameSite: 'lax', secure: true, httpOnly: false, maxAge: 2592000 });
  const session = JSON.parse(value);
  assert.equal(session.clientId, clientId);
  assert.equal(session.tokens.refreshToken.role, 'visitor');
  assert.equal(session.tokens.accessToken.value, headers.Authorization);

  const next = jar(value);
  assert.deepEqual(await strategy(next).getAuthHeaders(), { headers });
  assert.equal(next.writes.length, 0, 'a usable session is not rewritten');
  assert.equal(await visitorsMinted() - before, 1);
});

test('a cookie that is not JSON, another client\'s, of the wrong shape or too large is replaced by a new visitor', async () => {
  const tokens = { accessToken: { value: 'a', expiresAt: 4e9 }, refreshToken: { value: 'r', role: 'member' } };
  const bad = {
    'not JSON': '{"clientId":',
    'another client': JSON.stringify({ clientId: 'someone-else', tokens }),
    'a role Wix does not have': JSON.stringify({ clientId, tokens: { ...tokens, refreshToken: { value: 'r', role: 'admin' } } }),
    'a string expiry': JSON.stringify({ clientId, tokens: { ...tokens, accessToken: { value: 'a', expiresAt: '4e9' } } }),
    'an array': JSON.stringify([clientId, tokens]),
    'over 4 KB': JSON.stringify({ clientId, tokens: { ...tokens, accessToken: { value: 'a'.repeat(4100), expiresAt: 4e9 } } }),
  };
  for (const [what, value] of Object.entries(bad)) {
    assert.equal(readWixSession(value, clientId), undefined, what);
    const cookies = jar(value);
    const auth = strategy(cookies);
    const { headers } = await auth.getAuthHeaders();
    assert.notEqual(headers.Authorization, 'a', what);
    assert.equal(auth.getTokens().refreshToken.role, 'visitor', what);
    assert.equal(JSON.parse(cookies.writes.at(-1).value).tokens.accessToken.value, headers.Authorization, `${what}: replaced`);
  }
  // The shape Wix's own Astro integration writes is read, and nothing but the token fields is kept.
  assert.deepEqual(readWixSession(JSON.stringify({ clientId, tokens: { ...tokens, extra: 1 }, other: 2 }), clientId), tokens);
});

test('a read-only jar (a Next.js server component) still serves the request from what it wrote', async () => {
  const before = await visitorsMinted();
  const readOnly = { get: () => undefined, set() { throw new Error('Cookies can only be modified in a Server Action or Route Handler'); } };
  const auth = strategy(readOnly);
  const first = await auth.getAuthHeaders();
  assert.deepEqual(await auth.getAuthHeaders(), first);
  assert.equal(await visitorsMinted() - before, 1);
});

test('a proxy reads the request\'s cookies and writes the response\'s', async () => {
  const request = jar();
  const response = jar();
  await strategy(request, response).getAuthHeaders();
  assert.equal(request.writes.length, 0);
  assert.equal(response.writes.length, 1);
});

test('a member signed in on the server, then signed out: the cookie carries the member, then is deleted', async () => {
  const email = `cookie-jar-${Date.now()}@example.com`;
  await OAuthStrategy({ clientId, baseUrl, storage: 'memory' }).register({ email, password: 'correct horse 5' });
  const cookies = jar();
  const auth = strategy(cookies);
  const state = await auth.login({ email, password: 'correct horse 5' });
  await memberTokensFromSession(auth, state.data.sessionToken, redirectUri);
  const member = cookies.writes.at(-1).value;
  assert.equal(JSON.parse(member).tokens.refreshToken.role, 'member');
  assert.equal(strategy(jar(member)).loggedIn(), true, 'the next request sees the member');

  await auth.logout('http://localhost:8080/');
  const deleted = cookies.writes.at(-1);
  assert.equal(deleted.value, '');
  assert.equal(deleted.options.maxAge, 0);
  assert.equal(auth.loggedIn(), false);
});

test('tokens too large for one cookie are a storage_error, not a cookie the browser drops', () => {
  const auth = strategy(jar());
  const huge = { accessToken: { value: 'a'.repeat(5000), expiresAt: 4e9 }, refreshToken: { value: 'r', role: 'visitor' } };
  assert.throws(() => auth.setTokens(huge), (e) => e.name === 'AuthError' && e.code === 'storage_error');
});

test('calls that need a page reject with browser_only over a cookie storage too', async () => {
  const auth = strategy(jar());
  await assert.rejects(auth.getMemberTokensForDirectLogin('any'), (e) => e.name === 'AuthError' && e.code === 'browser_only');
});

test('without a document and without a jar (a client component rendered on the server) tokens stay in memory', async () => {
  const before = await visitorsMinted();
  const auth = OAuthStrategy({ clientId, baseUrl, storage: createCookieStorage({ clientId }) });
  const first = await auth.getAuthHeaders();
  assert.deepEqual(await auth.getAuthHeaders(), first);
  assert.equal(await visitorsMinted() - before, 1);
});

test('createCookieStorage needs a client id', () => {
  assert.throws(() => createCookieStorage({}), TypeError);
});

// A page's stand-ins: `document.cookie`, a Cookie Store whose `change` handler the test fires, and
// BroadcastChannels that record what is posted. Installed for one test, then removed.
async function inPage(run) {
  const names = ['document', 'cookieStore', 'BroadcastChannel'];
  const saved = names.map((n) => Object.getOwnPropertyDescriptor(globalThis, n));
  const page = { cookie: '', posted: [], onChange: undefined };
  globalThis.document = { get cookie() { return page.cookie; }, set cookie(_) {} };
  globalThis.cookieStore = { addEventListener: (type, handler) => { if (type === 'change') page.onChange = handler; } };
  globalThis.BroadcastChannel = class { constructor(name) { this.name = name; } postMessage(m) { page.posted.push([this.name, m]); } };
  try {
    await run(page);
  } finally {
    names.forEach((n, i) => (saved[i] ? Object.defineProperty(globalThis, n, saved[i]) : delete globalThis[n]));
  }
}
const tick = (ms) => new Promise((r) => setTimeout(r, ms));

test('in a page, a change of the cookie is announced to the tabs once this tab\'s document.cookie shows it', () => inPage(async (page) => {
  const value = encodeURIComponent(JSON.stringify({ clientId, tokens: { accessToken: { value: 'a', expiresAt: 4e9 }, refreshToken: { value: 'r', role: 'member' } } }));
  page.cookie = `other=1; wixSession=${value}`;
  const storage = createCookieStorage({ clientId });
  assert.equal(storage.getTokens().refreshToken.role, 'member');
  const channel = `wix-headless-auth:${clientId}:tokens`;

  // A server's deletion reported before this tab's document.cookie shows it: no news yet.
  page.onChange({ changed: [], deleted: [{ name: 'wixSession' }] });
  await tick(40);
  assert.deepEqual(page.posted, [], 'the news waits for the change to be visible here');
  page.cookie = 'other=1';
  await tick(40);
  assert.deepEqual(page.posted, [[channel, 'tokens']]);
  assert.equal(storage.getTokens(), undefined);

  // A new value, already visible: announced at once. Another cookie's change: nothing.
  page.cookie = `wixSession=${value}`;
  page.onChange({ changed: [{ name: 'wixSession', value }], deleted: [] });
  page.onChange({ changed: [{ name: 'other', value: '2' }], deleted: [] });
  assert.deepEqual(page.posted, [[channel, 'tokens'], [channel, 'tokens']]);
}));

test('in a page, a change this tab never sees (replaced meanwhile) is still announced, after 2 s', () => inPage(async (page) => {
  page.cookie = 'wixSession=old';
  createCookieStorage({ clientId });
  page.onChange({ changed: [{ name: 'wixSession', value: 'gone-already' }], deleted: [] });
  await tick(1500);
  assert.equal(page.posted.length, 0);
  await tick(800);
  assert.equal(page.posted.length, 1);
}));
