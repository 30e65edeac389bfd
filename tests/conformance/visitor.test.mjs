// Visitor tokens and refresh: generateVisitorTokens, renewToken, the token endpoint's errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthStrategy, createClient } from '@wix/sdk';
import { startEmulator, CLIENT_ID, APP_FLAGS } from './harness.mjs';

let emu;
before(async () => { emu = await startEmulator(APP_FLAGS); });
after(async () => { await emu?.stop(); });

const nowSeconds = () => Math.floor(Date.now() / 1000);

test('generateVisitorTokens mints visitor tokens with the anonymous grant', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const before = nowSeconds();
  const tokens = await auth.generateVisitorTokens();

  const req = emu.last('/oauth2/token');
  assert.equal(req.method, 'POST');
  assert.equal(req.host, 'www.wixapis.com');
  assert.deepEqual(req.bodyJson, { clientId: CLIENT_ID, grantType: 'anonymous' });
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.headers.authorization, undefined);
  assert.equal(req.status, 200, req.responseText);

  const body = req.responseJson;
  assert.equal(typeof body.access_token, 'string');
  assert.ok(body.access_token.length > 0);
  assert.equal(typeof body.refresh_token, 'string');
  assert.ok(body.refresh_token.length > 0);
  assert.equal(body.token_type, 'Bearer');
  assert.equal(Number(body.expires_in), 14400, 'default access-token lifetime is 4 hours');

  assert.equal(tokens.accessToken.value, body.access_token);
  assert.equal(tokens.refreshToken.value, body.refresh_token);
  assert.equal(tokens.refreshToken.role, 'visitor');
  assert.ok(tokens.accessToken.expiresAt >= before + 14400 && tokens.accessToken.expiresAt <= nowSeconds() + 14400);
});

test('each anonymous grant is a new visitor', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const a = await auth.generateVisitorTokens();
  const b = await auth.generateVisitorTokens();
  assert.notEqual(a.accessToken.value, b.accessToken.value);
  assert.notEqual(a.refreshToken.value, b.refreshToken.value);
});

test('generateVisitorTokens returns the same tokens, without a request, while they are valid', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const tokens = await auth.generateVisitorTokens();
  const count = emu.requests.length;
  const again = await auth.generateVisitorTokens(tokens);
  assert.deepEqual(again, tokens);
  assert.equal(emu.requests.length, count, 'no request for valid tokens');
});

test('createClient mints a visitor on its first call and reuses the tokens after', async () => {
  const client = createClient({ auth: OAuthStrategy({ clientId: CLIENT_ID }) });
  const count = emu.sent('/oauth2/token').length;
  await client.fetchWithAuth('https://www.wixapis.com/members/v1/members/my');
  await client.fetchWithAuth('https://www.wixapis.com/members/v1/members/my');
  const mints = emu.sent('/oauth2/token').slice(count);
  assert.equal(mints.length, 1, 'one anonymous grant for two calls');
  assert.equal(mints[0].bodyJson.grantType, 'anonymous');
  const calls = emu.sent('/members/v1/members/my').slice(-2);
  assert.equal(calls[0].headers.authorization, mints[0].responseJson.access_token);
  assert.equal(calls[1].headers.authorization, mints[0].responseJson.access_token);
  assert.equal(client.auth.getTokens().refreshToken.role, 'visitor');
  assert.equal(client.auth.loggedIn(), false);
});

test('renewToken exchanges the refresh token for a new access token', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const tokens = await auth.generateVisitorTokens();
  const renewed = await auth.renewToken(tokens.refreshToken);

  const req = emu.last('/oauth2/token');
  assert.deepEqual(req.bodyJson, { clientId: CLIENT_ID, refreshToken: tokens.refreshToken.value, grantType: 'refresh_token' });
  assert.equal(req.status, 200, req.responseText);
  assert.equal(typeof req.responseJson.access_token, 'string');
  assert.ok(Number(req.responseJson.expires_in) > 0);
  assert.notEqual(renewed.accessToken.value, tokens.accessToken.value, 'a fresh access token');
  assert.deepEqual(renewed.refreshToken, tokens.refreshToken, 'the SDK keeps its refresh token');

  // Without rotation, the same refresh token keeps working (the SDK never stores a rotated one).
  const twice = await auth.renewToken(renewed.refreshToken);
  assert.equal(emu.last('/oauth2/token').status, 200, emu.last('/oauth2/token').responseText);
  assert.ok(twice.accessToken.value);
});

test('generateVisitorTokens renews an expired access token with its refresh token', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const tokens = await auth.generateVisitorTokens();
  const expired = { ...tokens, accessToken: { ...tokens.accessToken, expiresAt: nowSeconds() - 10 } };
  const renewed = await auth.generateVisitorTokens(expired);
  const req = emu.last('/oauth2/token');
  assert.equal(req.bodyJson.grantType, 'refresh_token');
  assert.equal(req.status, 200, req.responseText);
  assert.equal(renewed.refreshToken.value, tokens.refreshToken.value);
  assert.notEqual(renewed.accessToken.value, tokens.accessToken.value);
});

test('renewToken with an unknown refresh token is rejected with 400 invalid_grant', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  await assert.rejects(auth.renewToken({ value: 'not-a-refresh-token', role: 'visitor' }), /Failed to fetch tokens from OAuth API.*invalid_grant/s);
  const req = emu.last('/oauth2/token');
  assert.equal(req.status, 400);
  assert.match(req.headers['content-type'] ?? 'application/json', /json/);
  assert.equal(req.responseJson?.error, 'invalid_grant', req.responseText);
});

test('a failed refresh makes generateVisitorTokens fall back to a new visitor', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const tokens = await auth.generateVisitorTokens({ refreshToken: { value: 'bogus', role: 'visitor' } });
  const [refresh, anonymous] = emu.requests.slice(-2);
  assert.equal(refresh.bodyJson.grantType, 'refresh_token');
  assert.equal(refresh.status, 400);
  assert.equal(anonymous.bodyJson.grantType, 'anonymous');
  assert.equal(anonymous.status, 200, anonymous.responseText);
  assert.equal(tokens.refreshToken.role, 'visitor');
  assert.notEqual(tokens.refreshToken.value, 'bogus');
});

test('an unknown client id is rejected with 400 invalid_client', async () => {
  const auth = OAuthStrategy({ clientId: '00000000-0000-0000-0000-000000000000' });
  await assert.rejects(auth.generateVisitorTokens(), /invalid_client/);
  const req = emu.last('/oauth2/token');
  assert.equal(req.status, 400);
  assert.equal(req.responseJson?.error, 'invalid_client', req.responseText);
});

test('an unsupported grant type is rejected with 400 unsupported_grant_type', async () => {
  // Not an SDK call: the same endpoint, the SDK's transport, a grant the service does not know.
  const res = await fetch('https://www.wixapis.com/oauth2/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ clientId: CLIENT_ID, grantType: 'password' }),
  });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'unsupported_grant_type');
});

test('with --access-token-ttl the SDK sees the lifetime and refreshes after it', async () => {
  const short = await startEmulator([...APP_FLAGS, '--access-token-ttl', '1']);
  try {
    const auth = OAuthStrategy({ clientId: CLIENT_ID });
    const tokens = await auth.generateVisitorTokens();
    assert.equal(Number(short.last('/oauth2/token').responseJson.expires_in), 1);
    await new Promise((r) => setTimeout(r, 2100));
    const renewed = await auth.generateVisitorTokens(tokens);
    const req = short.last('/oauth2/token');
    assert.equal(req.bodyJson.grantType, 'refresh_token');
    assert.equal(req.status, 200, req.responseText);
    assert.equal(renewed.refreshToken.value, tokens.refreshToken.value);
  } finally {
    await short.stop(); // Wix traffic goes back to this file's emulator
  }
});

test('with --rotate-refresh-tokens the server rotates, the SDK keeps the old token, and its next refresh fails', async () => {
  const rotating = await startEmulator([...APP_FLAGS, '--rotate-refresh-tokens']);
  try {
    const auth = OAuthStrategy({ clientId: CLIENT_ID });
    const tokens = await auth.generateVisitorTokens();
    const renewed = await auth.renewToken(tokens.refreshToken);
    const first = rotating.last('/oauth2/token');
    assert.equal(first.status, 200, first.responseText);
    assert.equal(typeof first.responseJson.refresh_token, 'string');
    assert.notEqual(first.responseJson.refresh_token, tokens.refreshToken.value, 'a new refresh token');
    assert.equal(renewed.refreshToken.value, tokens.refreshToken.value, 'the SDK drops it (baseline defect 3)');
    await assert.rejects(auth.renewToken(renewed.refreshToken), /invalid_grant/);
    assert.equal(rotating.last('/oauth2/token').status, 400);
  } finally {
    await rotating.stop();
  }
});
