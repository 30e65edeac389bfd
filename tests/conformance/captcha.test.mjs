// --require-captcha: calls without captcha tokens fail with missingCaptchaToken.
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
