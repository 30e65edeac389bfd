// --require-owner-approval: OWNER_APPROVAL_REQUIRED until the owner approves the member.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthStrategy } from '@wix/sdk';
import { startEmulator, CLIENT_ID, APP_FLAGS, uniqueEmail } from './harness.mjs';
import { lastIdentityId, hostedLogin } from './flows.mjs';

const PASSWORD = 'approve-me-please';

let emu;
before(async () => { emu = await startEmulator([...APP_FLAGS, '--require-owner-approval']); });
after(async () => { await emu?.stop(); });

test('register and login → OWNER_APPROVAL_REQUIRED; after approval login → SUCCESS', async () => {
  const email = uniqueEmail('pending');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const reg = await auth.register({ email, password: PASSWORD });
  const sent = emu.last('/_api/iam/authentication/v2/register');
  assert.equal(sent.status, 200, sent.responseText);
  assert.equal(sent.responseJson.state, 'REQUIRE_OWNER_APPROVAL');
  assert.deepEqual(reg, { loginState: 'OWNER_APPROVAL_REQUIRED' });
  const id = lastIdentityId(emu, '/_api/iam/authentication/v2/register');
  assert.ok(!sent.responseJson.sessionToken, 'no session before approval');

  const login = await auth.login({ email, password: PASSWORD });
  assert.equal(login.loginState, 'OWNER_APPROVAL_REQUIRED', JSON.stringify(login));

  const approve = await emu.fetch(`/_emulator/members/${encodeURIComponent(id)}/approve`, { method: 'POST' });
  assert.equal(approve.status, 200, await approve.text());

  const after = await auth.login({ email, password: PASSWORD });
  assert.equal(after.loginState, 'SUCCESS', JSON.stringify(after));
  assert.ok(after.data.sessionToken);
});

test('a wrong password is still invalidPassword for a pending member', async () => {
  const email = uniqueEmail('pending');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  await auth.register({ email, password: PASSWORD });
  const login = await auth.login({ email, password: 'nope nope' });
  assert.equal(login.loginState, 'FAILURE');
  assert.equal(login.errorCode, 'invalidPassword', JSON.stringify(login));
});

test('the hosted page delivers no code to a pending member, and does after approval', async () => {
  const email = uniqueEmail('pending-hosted');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  await auth.register({ email, password: PASSWORD });
  const id = lastIdentityId(emu, '/_api/iam/authentication/v2/register');

  const pending = await hostedLogin(auth, emu, { email, password: PASSWORD }).then(
    ({ callbackUrl }) => auth.parseFromUrl(callbackUrl),
    (e) => { assert.match(e.message, /expected a redirect out of/); return { code: null }; },
  );
  assert.equal(pending.code, null, 'no code while approval is pending');

  const approve = await emu.fetch(`/_emulator/members/${encodeURIComponent(id)}/approve`, { method: 'POST' });
  assert.equal(approve.status, 200);
  const { oauthData, callbackUrl } = await hostedLogin(auth, emu, { email, password: PASSWORD });
  const parsed = auth.parseFromUrl(callbackUrl);
  assert.equal(parsed.state, oauthData.state);
  assert.equal((await auth.getMemberTokens(parsed.code, parsed.state, oauthData)).refreshToken.role, 'member');
});
