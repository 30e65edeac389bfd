// Register and login with --require-email-verification: the code from the outbox, processVerification.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthStrategy } from '@wix/sdk';
import {
  startEmulator, CLIENT_ID, APP_FLAGS, REDIRECT_URI, uniqueEmail, latestVerificationCode,
  CookieJar, browserGet, findForm, parseForms, fillForm, submitForm, followUntilLeaving,
} from './harness.mjs';
import { lastIdentityId, directLoginTokens, myMember } from './flows.mjs';

const VERIFY = '/_api/iam/verification/v1/auth/verify';
const PASSWORD = 'verify-me-please';

let emu;
before(async () => { emu = await startEmulator([...APP_FLAGS, '--require-email-verification']); });
after(async () => { await emu?.stop(); });

test('register → EMAIL_VERIFICATION_REQUIRED; the outbox code passes processVerification → SUCCESS', async () => {
  const email = uniqueEmail('verify');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const first = await auth.register({ email, password: PASSWORD });
  const reg = emu.last('/_api/iam/authentication/v2/register');
  assert.equal(reg.status, 200, reg.responseText);
  assert.equal(reg.responseJson.state, 'REQUIRE_EMAIL_VERIFICATION');
  assert.equal(first.loginState, 'EMAIL_VERIFICATION_REQUIRED', JSON.stringify(first));
  assert.equal(typeof first.data.stateToken, 'string');
  assert.ok(first.data.stateToken.length > 0);
  const id = lastIdentityId(emu, '/_api/iam/authentication/v2/register');

  const code = await latestVerificationCode(emu, email);
  const done = await auth.processVerification({ verificationCode: code });
  const req = emu.last(VERIFY);
  assert.deepEqual(req.bodyJson, { code, stateToken: first.data.stateToken });
  assert.equal(req.status, 200, req.responseText);
  assert.equal(done.loginState, 'SUCCESS', JSON.stringify(done));
  assert.ok(done.data.sessionToken);

  const tokens = await directLoginTokens(auth, emu, done.data.sessionToken);
  const me = await myMember(emu, tokens);
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.member?.id, id);

  const again = await OAuthStrategy({ clientId: CLIENT_ID }).login({ email, password: PASSWORD });
  assert.equal(again.loginState, 'SUCCESS', `a verified member logs in directly: ${JSON.stringify(again)}`);
});

test('a wrong verification code is refused (processVerification throws) and the right one still works', async () => {
  const email = uniqueEmail('verify');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const first = await auth.register({ email, password: PASSWORD });
  assert.equal(first.loginState, 'EMAIL_VERIFICATION_REQUIRED');
  const code = await latestVerificationCode(emu, email);
  const wrong = code === '000000' ? '111111' : '000000';
  await assert.rejects(auth.processVerification({ verificationCode: wrong }));
  const req = emu.last(VERIFY);
  assert.notEqual(req.status, 200);
  assert.equal(typeof req.responseJson?.details?.applicationError?.code, 'string', req.responseText);
  const done = await auth.processVerification({ code }, first);
  assert.equal(done.loginState, 'SUCCESS', JSON.stringify(done));
});

test('login of an unverified member → EMAIL_VERIFICATION_REQUIRED with a new code sent', async () => {
  const email = uniqueEmail('verify');
  const registrar = OAuthStrategy({ clientId: CLIENT_ID });
  assert.equal((await registrar.register({ email, password: PASSWORD })).loginState, 'EMAIL_VERIFICATION_REQUIRED');
  const registerCode = await latestVerificationCode(emu, email);

  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const state = await auth.login({ email, password: PASSWORD });
  assert.equal(state.loginState, 'EMAIL_VERIFICATION_REQUIRED', JSON.stringify(state));
  const code = await latestVerificationCode(emu, email);
  assert.ok(code, 'a code is in the outbox');
  const done = await auth.processVerification({ verificationCode: code }, state);
  assert.equal(done.loginState, 'SUCCESS', `${JSON.stringify(done)} (register code was ${registerCode})`);
});

test('a state token cannot be used with a code sent to another member', async () => {
  const a = uniqueEmail('verify-a');
  const b = uniqueEmail('verify-b');
  const authA = OAuthStrategy({ clientId: CLIENT_ID });
  const authB = OAuthStrategy({ clientId: CLIENT_ID });
  await authA.register({ email: a, password: PASSWORD });
  await authB.register({ email: b, password: PASSWORD });
  const codeA = await latestVerificationCode(emu, a);
  const codeB = await latestVerificationCode(emu, b);
  if (codeA === codeB) return assert.fail('two members got the same code; cannot test cross-use');
  await assert.rejects(authA.processVerification({ verificationCode: codeB }));
});

test('hosted sign-up asks for the e-mailed code before redirecting back with an authorization code', async () => {
  const email = uniqueEmail('verify-hosted');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const oauthData = auth.generateOAuthData(REDIRECT_URI);
  const { authUrl } = await auth.getAuthUrl(oauthData);
  const jar = new CookieJar();
  const page = await browserGet(authUrl, jar);
  const signup = findForm(await page.text(), authUrl, 'signup');
  const step = await submitForm(signup, fillForm(signup, { email, password: PASSWORD }), jar, authUrl);
  const html = await step.text();
  assert.equal(step.status, 200, `a code step, not a redirect yet: ${step.status} ${step.headers.get('location')}`);

  const codeForm = parseForms(html, authUrl).find((f) => f.fields.some((x) => x.type !== 'hidden' && x.type !== 'submit' && x.type !== 'password'));
  assert.ok(codeForm, `a form asking for the code:\n${html.slice(0, 1500)}`);
  const field = codeForm.fields.find((x) => x.type !== 'hidden' && x.type !== 'submit' && x.type !== 'password');
  const code = await latestVerificationCode(emu, email);
  const res = await submitForm(codeForm, fillForm(codeForm, { email, password: PASSWORD, extra: { [field.name]: code } }), jar, authUrl);
  const callbackUrl = await followUntilLeaving(res, emu.siteUrl, jar, codeForm.action);
  const parsed = auth.parseFromUrl(callbackUrl);
  assert.equal(parsed.state, oauthData.state, callbackUrl);
  const tokens = await auth.getMemberTokens(parsed.code, parsed.state, oauthData);
  const me = await myMember(emu, tokens);
  assert.equal(me.body.member?.loginEmail, email, me.text);
});
