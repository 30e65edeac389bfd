// --require-captcha: calls without captcha tokens fail with missingCaptchaToken. The emulator accepts any
// captcha token except `invalid-captcha-token` (its CLI help), which stands for one Google would reject.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthStrategy } from '@wix/sdk';
import { startEmulator, CLIENT_ID, APP_FLAGS, uniqueEmail } from './harness.mjs';

const PASSWORD = 'captcha-password';

let emu;
before(async () => { emu = await startEmulator([...APP_FLAGS, '--require-captcha']); });
after(async () => { await emu?.stop(); });

test('register without captcha tokens: FAILURE, errorCode missingCaptchaToken', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const result = await auth.register({ email: uniqueEmail('captcha'), password: PASSWORD });
  const req = emu.last('/_api/iam/authentication/v2/register');
  assert.notEqual(req.status, 200);
  assert.equal(req.responseJson?.details?.applicationError?.code, '-19971', req.responseText);
  assert.equal(result.loginState, 'FAILURE');
  assert.equal(result.errorCode, 'missingCaptchaToken', JSON.stringify(result));
});

test('login without captcha tokens: FAILURE, errorCode missingCaptchaToken', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const result = await auth.login({ email: uniqueEmail('captcha'), password: PASSWORD });
  const req = emu.last('/_api/iam/authentication/v2/login');
  assert.equal(req.responseJson?.details?.applicationError?.code, '-19971', req.responseText);
  assert.equal(result.errorCode, 'missingCaptchaToken', JSON.stringify(result));
});

test('captcha tokens are sent in the SDK\'s captchaTokens shape', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  await auth.register({ email: uniqueEmail('captcha'), password: PASSWORD, captchaTokens: { recaptchaToken: 'visible-token', invisibleRecaptchaToken: 'invisible-token' } });
  const req = emu.last('/_api/iam/authentication/v2/register');
  assert.deepEqual(req.bodyJson.captchaTokens, [{ Recaptcha: 'visible-token', InvisibleRecaptcha: 'invisible-token' }]);
  assert.notEqual(req.responseJson?.details?.applicationError?.code, '-19971', `tokens were given: ${req.responseText}`);
});

test('register with captcha tokens succeeds, and the member can then log in with them', async () => {
  const email = uniqueEmail('captcha');
  const captchaTokens = { recaptchaToken: 'any-token-the-widget-gave' };
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const reg = await auth.register({ email, password: PASSWORD, captchaTokens });
  assert.deepEqual(emu.last('/_api/iam/authentication/v2/register').bodyJson.captchaTokens, [{ Recaptcha: 'any-token-the-widget-gave' }]);
  assert.equal(reg.loginState, 'SUCCESS', JSON.stringify(reg));
  const login = await auth.login({ email, password: PASSWORD, captchaTokens: { invisibleRecaptchaToken: 'invisible' } });
  assert.equal(login.loginState, 'SUCCESS', JSON.stringify(login));
  const withoutToken = await auth.login({ email, password: PASSWORD });
  assert.equal(withoutToken.errorCode, 'missingCaptchaToken', JSON.stringify(withoutToken));
});

test('a rejected captcha token: FAILURE, errorCode invalidCaptchaToken (register and login)', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const captchaTokens = { recaptchaToken: 'invalid-captcha-token' };
  const reg = await auth.register({ email: uniqueEmail('captcha'), password: PASSWORD, captchaTokens });
  assert.equal(emu.last('/_api/iam/authentication/v2/register').responseJson?.details?.applicationError?.code, '-19970');
  assert.equal(reg.errorCode, 'invalidCaptchaToken', JSON.stringify(reg));
  const login = await auth.login({ email: uniqueEmail('captcha'), password: PASSWORD, captchaTokens });
  assert.equal(login.errorCode, 'invalidCaptchaToken', JSON.stringify(login));
});
