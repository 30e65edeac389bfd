// Multi-step flows shared by the conformance tests, each driven through the real SDK.
import assert from 'node:assert/strict';
import { createClient, OAuthStrategy } from '@wix/sdk';
import {
  CLIENT_ID, APP_ORIGIN, REDIRECT_URI, CookieJar, browserGet, capturePostMessages,
  findForm, fillForm, submitForm, followUntilLeaving, uniqueEmail,
} from './harness.mjs';

/** The `identity.id` the service returned for the last register/login/verify call of `emu`. */
export function lastIdentityId(emu, suffix) {
  const res = emu.last(suffix)?.responseJson;
  const id = res?.identity?.id;
  assert.equal(typeof id, 'string', `${suffix} response carries identity.id: ${JSON.stringify(res)}`);
  return id;
}

/** A member registered through the SDK (no verification/approval configured): `{email, id}`. */
export async function registerMember(emu, password, tag = 'member') {
  const email = uniqueEmail(tag);
  const result = await OAuthStrategy({ clientId: CLIENT_ID }).register({ email, password });
  assert.equal(result.loginState, 'SUCCESS', JSON.stringify(result));
  return { email, id: lastIdentityId(emu, '/_api/iam/authentication/v2/register') };
}

/** The member's own record through the SDK's client (`GET /members/v1/members/my`). */
export async function myMember(emu, tokens) {
  const client = createClient({ auth: OAuthStrategy({ clientId: CLIENT_ID, tokens }) });
  const res = await client.fetchWithAuth('https://www.wixapis.com/members/v1/members/my?fieldsets=FULL');
  const req = emu.last('/members/v1/members/my');
  assert.equal(req.headers.authorization, tokens.accessToken.value, 'the raw access token, no Bearer');
  return { status: res.status, body: req.responseJson, text: req.responseText };
}

/**
 * What getMemberTokensForDirectLogin does, minus the browser: a web_message / prompt=none
 * redirect session for `sessionToken`, the page loaded as an iframe of `origin` (its Referer),
 * its postMessage to the parent captured. Returns `{oauthData, authUrl, posted}`.
 */
export async function directLoginPage(auth, emu, sessionToken, origin = APP_ORIGIN) {
  const oauthData = auth.generateOAuthData(undefined); // like the SDK's generatePKCE(): no redirectUri
  const { authUrl } = await auth.getAuthUrl(oauthData, { responseMode: 'web_message', prompt: 'none', sessionToken });
  const req = emu.last('/redirect-session');
  assert.deepEqual(req.bodyJson, {
    auth: {
      authRequest: {
        clientId: CLIENT_ID, codeChallenge: oauthData.codeChallenge, codeChallengeMethod: 'S256',
        responseMode: 'web_message', responseType: 'code', scope: 'offline_access', state: oauthData.state, sessionToken,
      },
      prompt: 'none',
    },
  });
  assert.equal(req.status, 200, req.responseText);
  const referrer = `${origin}/`;
  const page = await browserGet(authUrl, new CookieJar(), { Referer: referrer, 'Sec-Fetch-Dest': 'iframe' });
  const html = await page.text();
  // A refused origin gets the live service's 400 (`Allowed_domains_fetch_failed`), still a page
  // that tells the frame's parent at once.
  assert.equal(page.status, origin === APP_ORIGIN ? 200 : 400, `the web_message page loads: ${html.slice(0, 500)}`);
  const posted = capturePostMessages(html, authUrl, referrer);
  return { oauthData, authUrl, posted, html };
}

/** Session token → member tokens, the direct-login way; asserts each wire step. */
export async function directLoginTokens(auth, emu, sessionToken) {
  const { oauthData, posted, html } = await directLoginPage(auth, emu, sessionToken);
  assert.equal(posted.length, 1, `exactly one postMessage, got ${JSON.stringify(posted)} from:\n${html.slice(0, 1500)}`);
  const [{ message, targetOrigin }] = posted;
  assert.equal(targetOrigin, APP_ORIGIN, 'posted to exactly the allowed origin');
  assert.equal(message.state, oauthData.state);
  assert.equal(typeof message.code, 'string');
  const tokens = await auth.getMemberTokens(message.code, message.state, oauthData);
  const req = emu.last('/oauth2/token');
  assert.deepEqual(req.bodyJson, {
    clientId: CLIENT_ID, grantType: 'authorization_code', code: message.code, codeVerifier: oauthData.codeVerifier,
  });
  assert.equal(req.status, 200, req.responseText);
  assert.equal(tokens.refreshToken.role, 'member');
  return tokens;
}

/**
 * The Wix-managed login: getAuthUrl, the hosted page's `kind` form ('login' | 'signup') posted like
 * a browser, the redirect back to the app. Returns `{oauthData, authUrl, callbackUrl, jar}`.
 */
export async function hostedLogin(auth, emu, { email, password, kind = 'login', responseMode, redirectUri = REDIRECT_URI }) {
  const oauthData = auth.generateOAuthData(redirectUri, `${APP_ORIGIN}/account`);
  const { authUrl } = await auth.getAuthUrl(oauthData, responseMode ? { responseMode, prompt: 'login' } : undefined);
  const jar = new CookieJar();
  const page = await browserGet(authUrl, jar, { Referer: `${APP_ORIGIN}/` });
  const html = await page.text();
  assert.equal(page.status, 200, `the hosted page loads: ${html.slice(0, 500)}`);
  const form = findForm(html, authUrl, kind);
  const res = await submitForm(form, fillForm(form, { email, password }), jar, authUrl);
  const callbackUrl = await followUntilLeaving(res, new URL(authUrl).origin, jar, form.action);
  return { oauthData, authUrl, callbackUrl, jar };
}
