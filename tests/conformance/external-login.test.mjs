// Externally managed login with an API key: getMemberTokensForExternalLogin(+WithSession).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthStrategy } from '@wix/sdk';
import { startEmulator, CLIENT_ID, APP_FLAGS, uniqueEmail } from './harness.mjs';
import { registerMember, myMember } from './flows.mjs';

const API_KEY = 'conformance-api-key-7f3a';
const PASSWORD = 'external-password';

let emu;
before(async () => { emu = await startEmulator([...APP_FLAGS, '--api-key', API_KEY]); });
after(async () => { await emu?.stop(); });

test('getMemberTokensForExternalLogin on a fresh strategy: Authorization ",<apiKey>", member tokens', async () => {
  const member = await registerMember(emu, PASSWORD, 'external');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const tokens = await auth.getMemberTokensForExternalLogin(member.id, API_KEY);
  const req = emu.last('/oauth2/token');
  assert.equal(req.headers.authorization, `,${API_KEY}`);
  assert.deepEqual(req.bodyJson, { grant_type: 'authorized_client', scope: 'offline_access', member_id: member.id });
  assert.equal(req.status, 200, req.responseText);
  assert.equal(tokens.refreshToken.role, 'member');
  const me = await myMember(emu, tokens);
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.member?.id, member.id);
});

test('getMemberTokensForExternalLogin with visitor tokens held: Authorization "<visitor token>,<apiKey>"', async () => {
  const member = await registerMember(emu, PASSWORD, 'external');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  auth.setTokens(await auth.generateVisitorTokens());
  const tokens = await auth.getMemberTokensForExternalLogin(member.id, API_KEY);
  const req = emu.last('/oauth2/token');
  assert.equal(req.headers.authorization, `${auth.getTokens().accessToken.value},${API_KEY}`);
  assert.equal(req.status, 200, req.responseText);
  const renewed = await auth.renewToken(tokens.refreshToken);
  const me = await myMember(emu, renewed);
  assert.equal(me.body.member?.id, member.id, me.text);
});

test('a wrong API key is refused', async () => {
  const member = await registerMember(emu, PASSWORD, 'external');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  await assert.rejects(auth.getMemberTokensForExternalLogin(member.id, 'wrong-key'), /Failed to fetch tokens/);
  const req = emu.last('/oauth2/token');
  assert.ok(req.status >= 400 && req.status < 500, `4xx, got ${req.status}`);
  assert.equal(typeof req.responseJson?.error, 'string', req.responseText);
});

test('an unknown member id is refused', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  await assert.rejects(auth.getMemberTokensForExternalLogin('00000000-0000-0000-0000-0000000000ff', API_KEY), /Failed to fetch tokens/);
  const req = emu.last('/oauth2/token');
  assert.ok(req.status >= 400 && req.status < 500, `4xx, got ${req.status}`);
});

test('getMemberTokensForExternalLoginWithSession: sign-on then authorized_client with the session token', async () => {
  const member = await registerMember(emu, PASSWORD, 'external');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const tokens = await auth.getMemberTokensForExternalLoginWithSession(member.email, API_KEY);
  const signOn = emu.last('/_api/iam/authentication/v2/sign-on');
  const visitor = auth.getTokens().accessToken.value;
  assert.equal(signOn.headers.authorization, `${visitor},${API_KEY}`);
  assert.deepEqual(signOn.bodyJson, { loginId: { email: member.email } });
  assert.equal(signOn.status, 200, signOn.responseText);
  assert.equal(signOn.responseJson.identity?.id, member.id);
  const req = emu.last('/oauth2/token');
  assert.deepEqual(req.bodyJson, { grant_type: 'authorized_client', member_id: member.id, session_token: signOn.responseJson.sessionToken });
  assert.equal(req.status, 200, req.responseText);
  const me = await myMember(emu, tokens);
  assert.equal(me.body.member?.id, member.id, me.text);
});

test('sign-on with a wrong API key is refused', async () => {
  const member = await registerMember(emu, PASSWORD, 'external');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  await assert.rejects(auth.getMemberTokensForExternalLoginWithSession(member.email, 'wrong-key'));
  const req = emu.last('/_api/iam/authentication/v2/sign-on');
  assert.ok(req.status >= 400 && req.status < 500, `4xx, got ${req.status}: ${req.responseText}`);
});
