// Consumer: the real @wix/sdk's `createClient` with our strategy as `auth`, in Node, from the
// packed package. A module call is a raw REST module (the shape @wix/members' functions have:
// `(httpClient) => …`), so no @wix/members install is needed; createClient sends it to
// https://edge.wixapis.com (our strategy says shouldUseCDN), and the client's `fetch` option
// routes that host to the emulator and records the Authorization header that went out.
// Run in the fixture app: EMULATOR_URL=… node --test sdk-client.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@wix/sdk';
import { OAuthStrategy } from 'wix-headless-auth';
import { memberTokensFromSession } from './server-login.mjs';

const baseUrl = process.env.EMULATOR_URL;
const clientId = '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a';
const redirectUri = 'http://localhost:8080/callback.html';

// What a generated Wix module function looks like to createClient (which also calls it once with
// no argument, to sniff for an older module kind: hence no destructuring here).
const getCurrentMember = (http) => async () =>
  (await http.request(() => ({ method: 'GET', url: '/members/v1/members/my?fieldsets=FULL' }))).data;

function client() {
  const sent = [];
  const wix = createClient({
    auth: OAuthStrategy({ clientId, baseUrl, storage: 'memory' }),
    modules: { members: { getCurrentMember } },
    fetch: (url, init) => {
      const routed = new URL(url);
      assert.match(routed.host, /^(edge|www)\.wixapis\.com$/);
      sent.push({ host: routed.host, authorization: new Headers(init?.headers).get('authorization') });
      return fetch(new URL(routed.pathname + routed.search, baseUrl), init);
    },
  });
  return { wix, sent };
}

test('a module call carries our member token; client.auth keeps working after the SDK rebinds it', async () => {
  const { wix, sent } = client();
  const email = `sdk-${Date.now()}@example.com`;
  // `client.auth` is the SDK's getter: it replaces getAuthHeaders with a copy bound to undefined.
  const state = await wix.auth.register({ email, password: 'correct horse 3' });
  assert.equal(state.loginState, 'SUCCESS');
  await memberTokensFromSession(wix.auth, state.data.sessionToken, redirectUri);
  assert.equal(wix.auth.loggedIn(), true);
  const { member } = await wix.members.getCurrentMember();
  assert.equal(member.loginEmail, email);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].host, 'edge.wixapis.com', 'shouldUseCDN is honoured');
  assert.equal(sent[0].authorization, wix.auth.getActiveToken());
  assert.equal(sent[0].authorization, wix.auth.getTokens().accessToken.value);
});

test('a visitor: the module call goes out with a visitor token, which members/my refuses', async () => {
  const { wix, sent } = client();
  // The SDK turns the emulator's 401 body into its own error (code in message or details).
  await assert.rejects(wix.members.getCurrentMember(), (e) =>
    JSON.stringify({ message: e.message, details: e.details }).includes('UNAUTHENTICATED'));
  assert.equal(sent.length, 1);
  assert.ok(sent[0].authorization.length > 10, 'a minted visitor token was sent');
  assert.equal(wix.auth.getTokens().refreshToken.role, 'visitor');
});

test('fetchWithAuth adds our header to a plain request', async () => {
  const { wix } = client();
  const reply = await wix.fetchWithAuth(`https://www.wixapis.com/members/v1/members/my`);
  assert.equal(reply.status, 401, 'a visitor token reached members/my');
  assert.equal(wix.auth.getTokens().refreshToken.role, 'visitor');
});
