// Custom login page: register, login and their failures, direct login, member calls, password reset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthStrategy } from '@wix/sdk';
import {
  startEmulator, CLIENT_ID, APP_FLAGS, APP_ORIGIN, uniqueEmail, outbox, messagesOf,
  CookieJar, browserGet, findForm, fillForm, submitForm, followUntilLeaving,
} from './harness.mjs';
import { registerMember, lastIdentityId, myMember, directLoginPage, directLoginTokens } from './flows.mjs';

const REGISTER = '/_api/iam/authentication/v2/register';
const LOGIN = '/_api/iam/authentication/v2/login';
const PASSWORD = 'correct horse battery staple';

let emu;
before(async () => { emu = await startEmulator(APP_FLAGS); });
after(async () => { await emu?.stop(); });

test('register: SUCCESS with a session token, sent with a visitor token', async () => {
  const email = uniqueEmail();
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const result = await auth.register({ email, password: PASSWORD, profile: { firstName: 'Ada', nickname: 'ada' } });

  const [mint, reg] = emu.requests.slice(-2);
  assert.equal(mint.bodyJson?.grantType, 'anonymous', 'a fresh strategy mints a visitor first');
  assert.equal(reg.path, REGISTER);
  assert.equal(reg.host, 'www.wixapis.com');
  assert.equal(reg.headers.authorization, mint.responseJson.access_token);
  assert.deepEqual(reg.bodyJson, { loginId: { email }, password: PASSWORD, profile: { firstName: 'Ada', nickname: 'ada' } });
  assert.equal(reg.status, 200, reg.responseText);
  assert.equal(reg.responseJson.state, 'SUCCESS');
  assert.equal(reg.responseJson.identity?.email?.address, email);

  assert.equal(result.loginState, 'SUCCESS');
  assert.equal(typeof result.data.sessionToken, 'string');
  assert.ok(result.data.sessionToken.length > 0);
  assert.equal(result.data.sessionToken, reg.responseJson.sessionToken);
});

test('login: SUCCESS with a session token for the registered identity', async () => {
  const member = await registerMember(emu, PASSWORD, 'member');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const result = await auth.login({ email: member.email, password: PASSWORD });
  const req = emu.last(LOGIN);
  assert.deepEqual(req.bodyJson, { loginId: { email: member.email }, password: PASSWORD });
  assert.equal(req.status, 200, req.responseText);
  assert.equal(result.loginState, 'SUCCESS', JSON.stringify(result));
  assert.ok(result.data.sessionToken);
  assert.equal(lastIdentityId(emu, LOGIN), member.id);
});

test('login with a wrong password: FAILURE, errorCode invalidPassword', async () => {
  const member = await registerMember(emu, PASSWORD, 'member');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const result = await auth.login({ email: member.email, password: 'not the password' });
  const req = emu.last(LOGIN);
  assert.notEqual(req.status, 200);
  assert.equal(req.responseJson?.details?.applicationError?.code, '-19976', req.responseText);
  assert.equal(result.loginState, 'FAILURE');
  assert.equal(result.errorCode, 'invalidPassword', JSON.stringify(result));
});

test('login with an unknown e-mail: FAILURE, errorCode invalidEmail (an applicationError, not a crash)', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const result = await auth.login({ email: uniqueEmail('nobody'), password: PASSWORD });
  const req = emu.last(LOGIN);
  assert.notEqual(req.status, 200);
  assert.equal(typeof req.responseJson?.details?.applicationError?.code, 'string', `login errors must carry details.applicationError (else the SDK throws a TypeError): ${req.responseText}`);
  assert.equal(result.loginState, 'FAILURE');
  assert.equal(result.errorCode, 'invalidEmail', JSON.stringify(result));
});

test('register of an existing e-mail: FAILURE, errorCode emailAlreadyExists', async () => {
  const member = await registerMember(emu, PASSWORD, 'member');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const result = await auth.register({ email: member.email, password: 'another password' });
  const req = emu.last(REGISTER);
  assert.notEqual(req.status, 200);
  assert.equal(req.responseJson?.details?.applicationError?.code, '-19995', req.responseText);
  assert.equal(result.loginState, 'FAILURE');
  assert.equal(result.errorCode, 'emailAlreadyExists', JSON.stringify(result));
});

test('register with a malformed e-mail: FAILURE, errorCode invalidEmail', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const result = await auth.register({ email: 'not-an-email', password: PASSWORD });
  const req = emu.last(REGISTER);
  assert.notEqual(req.status, 200);
  assert.equal(result.loginState, 'FAILURE');
  assert.equal(result.errorCode, 'invalidEmail', `${JSON.stringify(result)} from ${req.responseText}`);
});

test('login with a malformed e-mail: FAILURE, errorCode invalidEmail (the SDK must not crash on it)', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const result = await auth.login({ email: 'not-an-email', password: PASSWORD }); // a TypeError here = no applicationError
  const req = emu.last(LOGIN);
  assert.notEqual(req.status, 200);
  assert.equal(result.loginState, 'FAILURE');
  assert.equal(result.errorCode, 'invalidEmail', `${JSON.stringify(result)} from ${req.responseText}`);
});

test('register with an empty password: FAILURE, not a crash', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const result = await auth.register({ email: uniqueEmail('nopass'), password: '' }); // a TypeError here = a violation without data
  const req = emu.last(REGISTER);
  assert.notEqual(req.status, 200);
  assert.equal(result.loginState, 'FAILURE', `${JSON.stringify(result)} from ${req.responseText}`);
});

test('login of a member with an empty password: FAILURE, not a crash', async () => {
  const member = await registerMember(emu, PASSWORD, 'member');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const result = await auth.login({ email: member.email, password: '' });
  const req = emu.last(LOGIN);
  assert.notEqual(req.status, 200);
  assert.equal(result.loginState, 'FAILURE', `${JSON.stringify(result)} from ${req.responseText}`);
});

test('direct login: the web_message page posts {code, state} to the allowed origin; the code buys member tokens', async () => {
  const member = await registerMember(emu, PASSWORD, 'member');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { data } = await auth.login({ email: member.email, password: PASSWORD });
  const tokens = await directLoginTokens(auth, emu, data.sessionToken);
  assert.ok(tokens.accessToken.value);
  assert.ok(tokens.refreshToken.value);

  const me = await myMember(emu, tokens);
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.member?.id, member.id);
  assert.equal(me.body.member?.loginEmail, member.email);
});

test('direct login: a page framed by a foreign origin posts no code to it', async () => {
  const member = await registerMember(emu, PASSWORD, 'member');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { data } = await auth.login({ email: member.email, password: PASSWORD });
  const { posted, oauthData } = await directLoginPage(auth, emu, data.sessionToken, 'https://evil.example');
  const leaked = posted.filter((p) => p.message?.code && p.targetOrigin !== APP_ORIGIN);
  assert.deepEqual(leaked, [], 'a code is only ever posted to an allowed origin');
  // The live service's word for a refused origin (a public design log), and what the SDK makes of it.
  assert.equal(posted.length, 1, JSON.stringify(posted));
  const { message } = posted[0];
  assert.equal(message.state, oauthData.state);
  assert.equal(message.error, 'Allowed_domains_fetch_failed');
  assert.equal(message.rejectedOrigin, 'https://evil.example');
  assert.equal(message.code, undefined);
  await assert.rejects(auth.getMemberTokens(message.code, message.state, oauthData), /Missing code or _state/);
});

test('direct login with an unknown session token posts {state, error} and no code', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { posted, oauthData } = await directLoginPage(auth, emu, 'not-a-session-token');
  assert.equal(posted.length, 1, JSON.stringify(posted));
  const [{ message, targetOrigin }] = posted;
  assert.equal(targetOrigin, APP_ORIGIN);
  assert.equal(message.state, oauthData.state);
  assert.equal(message.code, undefined, JSON.stringify(message));
  assert.equal(typeof message.error, 'string', JSON.stringify(message));
});

test('direct login: an authorization code works once', async () => {
  const member = await registerMember(emu, PASSWORD, 'member');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { data } = await auth.login({ email: member.email, password: PASSWORD });
  const { oauthData, posted } = await directLoginPage(auth, emu, data.sessionToken);
  const { code, state } = posted[0].message;
  await auth.getMemberTokens(code, state, oauthData);
  assert.equal(emu.last('/oauth2/token').status, 200);
  await assert.rejects(auth.getMemberTokens(code, state, oauthData), /invalid_grant/);
  assert.equal(emu.last('/oauth2/token').status, 400);
});

test('direct login: a wrong PKCE verifier is rejected with invalid_grant', async () => {
  const member = await registerMember(emu, PASSWORD, 'member');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { data } = await auth.login({ email: member.email, password: PASSWORD });
  const { oauthData, posted } = await directLoginPage(auth, emu, data.sessionToken);
  const { code, state } = posted[0].message;
  const other = auth.generateOAuthData(undefined).codeVerifier;
  await assert.rejects(auth.getMemberTokens(code, state, { ...oauthData, codeVerifier: other }), /invalid_grant/);
  const req = emu.last('/oauth2/token');
  assert.equal(req.status, 400);
  assert.equal(req.responseJson?.error, 'invalid_grant');
});

test('member tokens refresh, and the renewed access token still identifies the member', async () => {
  const member = await registerMember(emu, PASSWORD, 'member');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { data } = await auth.login({ email: member.email, password: PASSWORD });
  const tokens = await directLoginTokens(auth, emu, data.sessionToken);
  const renewed = await auth.renewToken(tokens.refreshToken);
  assert.equal(emu.last('/oauth2/token').status, 200, emu.last('/oauth2/token').responseText);
  assert.equal(renewed.refreshToken.role, 'member');
  const me = await myMember(emu, renewed);
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.member?.id, member.id);
});

test('members/my with a visitor token is refused', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const visitor = await auth.generateVisitorTokens();
  const me = await myMember(emu, visitor);
  assert.ok(me.status >= 400 && me.status < 500, `visitor gets a 4xx, got ${me.status}: ${me.text}`);
});

test('members/my with a forged token is refused', async () => {
  const res = await fetch('https://www.wixapis.com/members/v1/members/my', { headers: { Authorization: 'not-a-token' } });
  assert.ok([401, 403].includes(res.status), `401/403, got ${res.status}`);
});

test('sendPasswordResetEmail: the request, the outbox link, a new password that logs in', async () => {
  const member = await registerMember(emu, PASSWORD, 'member');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const resetRedirect = `${APP_ORIGIN}/reset-done`;
  const result = await auth.sendPasswordResetEmail(member.email, resetRedirect);
  assert.equal(result, undefined);
  const req = emu.last('/_api/iam/recovery/v1/send-email');
  assert.deepEqual(req.bodyJson, { email: member.email, redirect: { url: resetRedirect, clientId: CLIENT_ID } });
  assert.equal(req.status, 200, req.responseText);

  const msgs = messagesOf(await outbox(emu, member.email));
  const links = msgs.flatMap((m) => JSON.stringify(m).match(/https?:\/\/[^\s"\\<>]+/g) ?? []);
  assert.equal(links.length > 0, true, `a reset link in the outbox: ${JSON.stringify(msgs)}`);

  // The member follows the link, chooses a new password, and lands on the app's redirect URL.
  const jar = new CookieJar();
  const page = await browserGet(links.at(-1), jar);
  const html = await page.text();
  assert.equal(page.status, 200, html.slice(0, 500));
  const form = findForm(html, links.at(-1), 'reset');
  const newPassword = 'a brand new password';
  const res = await submitForm(form, fillForm(form, { email: member.email, password: newPassword }), jar, links.at(-1));
  const landed = await followUntilLeaving(res, emu.siteUrl, jar, form.action);
  assert.equal(new URL(landed).origin + new URL(landed).pathname, resetRedirect);

  const fresh = OAuthStrategy({ clientId: CLIENT_ID });
  assert.equal((await fresh.login({ email: member.email, password: newPassword })).loginState, 'SUCCESS');
  assert.equal((await fresh.login({ email: member.email, password: PASSWORD })).errorCode, 'invalidPassword');
});

test('sendPasswordResetEmail for an address with no member sends nothing', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const email = uniqueEmail('ghost');
  await auth.sendPasswordResetEmail(email, `${APP_ORIGIN}/reset-done`).catch(() => {});
  assert.deepEqual(messagesOf(await outbox(emu, email)), []);
});
