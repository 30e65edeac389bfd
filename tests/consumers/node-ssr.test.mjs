// Consumer: Node 20 (server-side rendering) with the packed package installed in a fresh app.
// The `node` condition of `exports` must load the wasm from disk with no `init()`; memory and
// custom storage must work; a member must sign in without a browser; frame-only calls must
// reject with `browser_only`, never `window is not defined`.
// Run in the fixture app: EMULATOR_URL=… node --test node-ssr.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthStrategy } from 'wix-headless-auth';
import { memberTokensFromSession } from './server-login.mjs';

const baseUrl = process.env.EMULATOR_URL;
const clientId = '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a';
// One of the emulator's default redirect URIs; a server never loads it, it only reads the code.
const redirectUri = 'http://localhost:8080/callback.html';
// Requests to the auth API so far (the stats endpoint's own calls left out).
const apiRequests = async () => {
  const { requests } = await (await fetch(`${baseUrl}/_emulator/stats`)).json();
  return Object.fromEntries(Object.entries(requests).filter(([path]) => !path.startsWith('/_emulator')));
};
const myMember = async (auth) =>
  fetch(`${baseUrl}/members/v1/members/my?fieldsets=FULL`, await auth.getAuthHeaders());

test('imports with no window and no init(); the default storage degrades to memory', async () => {
  assert.equal(typeof window, 'undefined');
  const auth = OAuthStrategy({ clientId, baseUrl });
  assert.equal(auth.storageInUse, 'memory');
  const { headers } = await auth.getAuthHeaders();
  assert.ok(headers.Authorization.length > 10);
  assert.equal(auth.getTokens().refreshToken.role, 'visitor');
  assert.equal(auth.loggedIn(), false);
});

test('register, then member tokens without a browser; members/my answers with them', async () => {
  const auth = OAuthStrategy({ clientId, baseUrl, storage: 'memory' });
  const email = `ssr-${Date.now()}@example.com`;
  const state = await auth.register({ email, password: 'correct horse 1' });
  assert.equal(state.loginState, 'SUCCESS');
  const tokens = await memberTokensFromSession(auth, state.data.sessionToken, redirectUri);
  assert.equal(tokens.refreshToken.role, 'member');
  assert.equal(auth.loggedIn(), true);
  const reply = await myMember(auth);
  assert.equal(reply.status, 200);
  assert.equal((await reply.json()).member.loginEmail, email);
});

test('login with a cookie-like custom storage; a later request restores the member from it', async () => {
  const email = `cookie-${Date.now()}@example.com`;
  await OAuthStrategy({ clientId, baseUrl, storage: 'memory' }).register({ email, password: 'correct horse 2' });
  // Stands in for a cookie: what one request's strategy writes, the next one's reads.
  let cookie;
  const jar = { getTokens: () => (cookie ? JSON.parse(cookie) : undefined), setTokens: (t) => { cookie = JSON.stringify(t); } };
  const first = OAuthStrategy({ clientId, baseUrl, storage: jar });
  assert.equal(first.storageInUse, 'custom');
  const state = await first.login({ email, password: 'correct horse 2' });
  assert.equal(state.loginState, 'SUCCESS');
  await memberTokensFromSession(first, state.data.sessionToken, redirectUri);
  assert.equal(JSON.parse(cookie).refreshToken.role, 'member');
  const next = OAuthStrategy({ clientId, baseUrl, storage: jar });
  assert.equal(next.loggedIn(), true);
  assert.equal((await (await myMember(next)).json()).member.loginEmail, email);
});

test('frame-only calls reject with AuthError browser_only before any request', async () => {
  const auth = OAuthStrategy({ clientId, baseUrl, storage: 'memory' });
  const before = await apiRequests();
  const check = (e) => e.name === 'AuthError' && e.code === 'browser_only' && !/window is not defined/.test(e.message);
  await assert.rejects(auth.getMemberTokensForDirectLogin('any-session-token'), check);
  await assert.rejects(auth.sessions.syncWithWixPages(), check);
  assert.throws(() => auth.parseFromUrl(), check);
  assert.deepEqual(await apiRequests(), before, 'no request was made');
});
