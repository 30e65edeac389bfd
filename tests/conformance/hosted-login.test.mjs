// Wix-managed login: getAuthUrl, the hosted page, parseFromUrl, getMemberTokens, logout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthStrategy, createClient } from '@wix/sdk';
import { redirects } from '@wix/redirects';
import {
  startEmulator, CLIENT_ID, APP_FLAGS, APP_ORIGIN, REDIRECT_URI, POST_LOGOUT_URL, uniqueEmail,
  CookieJar, browserGet, followUntilLeaving,
} from './harness.mjs';
import { registerMember, myMember, hostedLogin } from './flows.mjs';

const PASSWORD = 'hosted-page-password';
const REDIRECT_SESSION = '/_api/redirects-api/v1/redirect-session';

let emu;
before(async () => { emu = await startEmulator(APP_FLAGS); });
after(async () => { await emu?.stop(); });

test('getAuthUrl sends the SDK\'s redirect-session body and returns the emulator\'s page', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const oauthData = auth.generateOAuthData(REDIRECT_URI, `${APP_ORIGIN}/account`);
  const result = await auth.getAuthUrl(oauthData);

  const [mint, req] = emu.requests.slice(-2);
  assert.equal(mint.bodyJson?.grantType, 'anonymous');
  assert.equal(req.method, 'POST');
  assert.equal(req.url, `https://www.wixapis.com${REDIRECT_SESSION}`);
  assert.equal(req.headers.authorization, mint.responseJson.access_token);
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.body, JSON.stringify({
    auth: {
      authRequest: {
        redirectUri: REDIRECT_URI, clientId: CLIENT_ID, codeChallenge: oauthData.codeChallenge,
        codeChallengeMethod: 'S256', responseMode: 'fragment', responseType: 'code',
        scope: 'offline_access', state: oauthData.state,
      },
      prompt: 'login',
    },
  }));
  assert.equal(req.status, 200, req.responseText);
  const rs = req.responseJson.redirectSession;
  assert.equal(typeof rs.id, 'string');
  assert.equal(typeof rs.urlDetails?.endpoint, 'string');
  assert.equal(typeof rs.urlDetails?.searchParams, 'object');

  assert.equal(result.authUrl, rs.fullUrl);
  assert.equal(new URL(result.authUrl).origin, emu.siteUrl, 'the hosted page is served by the site host, not the API host');
  assert.equal(result.authorizationEndpoint, rs.urlDetails.endpoint);

  const page = await browserGet(result.authUrl, new CookieJar());
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await page.text(), /<form/i);
});

test('the public alias /redirect-session/v1/redirect-session answers like the SDK\'s path', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const visitor = await auth.generateVisitorTokens();
  const oauthData = auth.generateOAuthData(REDIRECT_URI);
  const res = await fetch('https://www.wixapis.com/redirect-session/v1/redirect-session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: visitor.accessToken.value },
    body: JSON.stringify({ auth: { authRequest: { redirectUri: REDIRECT_URI, clientId: CLIENT_ID, codeChallenge: oauthData.codeChallenge, codeChallengeMethod: 'S256', responseMode: 'fragment', responseType: 'code', scope: 'offline_access', state: oauthData.state }, prompt: 'login' } }),
  });
  assert.equal(res.status, 200);
  const { redirectSession } = await res.json();
  assert.equal(new URL(redirectSession.fullUrl).origin, emu.siteUrl);
});

test('hosted sign-in redirects back with code and state in the fragment; getMemberTokens exchanges it', async () => {
  const member = await registerMember(emu, PASSWORD, 'hosted');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { oauthData, callbackUrl } = await hostedLogin(auth, emu, { email: member.email, password: PASSWORD });

  assert.ok(callbackUrl.startsWith(`${REDIRECT_URI}#`), `redirected to the redirect URI with a fragment: ${callbackUrl}`);
  const parsed = auth.parseFromUrl(callbackUrl);
  assert.equal(parsed.error, undefined, JSON.stringify(parsed));
  assert.equal(parsed.state, oauthData.state);
  assert.equal(typeof parsed.code, 'string');

  const tokens = await auth.getMemberTokens(parsed.code, parsed.state, oauthData);
  const req = emu.last('/oauth2/token');
  assert.deepEqual(req.bodyJson, {
    clientId: CLIENT_ID, grantType: 'authorization_code', redirectUri: REDIRECT_URI,
    code: parsed.code, codeVerifier: oauthData.codeVerifier,
  });
  assert.equal(req.status, 200, req.responseText);
  assert.equal(tokens.refreshToken.role, 'member');

  const me = await myMember(emu, tokens);
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.member?.id, member.id);
});

test('hosted sign-in with responseMode query puts code and state in the query', async () => {
  const member = await registerMember(emu, PASSWORD, 'hosted');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { oauthData, callbackUrl } = await hostedLogin(auth, emu, { email: member.email, password: PASSWORD, responseMode: 'query' });
  assert.equal(emu.last(REDIRECT_SESSION).bodyJson.auth.authRequest.responseMode, 'query');
  assert.ok(callbackUrl.startsWith(`${REDIRECT_URI}?`), callbackUrl);
  const parsed = auth.parseFromUrl(callbackUrl, 'query');
  assert.equal(parsed.state, oauthData.state);
  const tokens = await auth.getMemberTokens(parsed.code, parsed.state, oauthData);
  assert.equal(tokens.refreshToken.role, 'member');
});

test('hosted sign-up creates the member and redirects back with a code', async () => {
  const email = uniqueEmail('signup');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { oauthData, callbackUrl } = await hostedLogin(auth, emu, { email, password: PASSWORD, kind: 'signup' });
  const parsed = auth.parseFromUrl(callbackUrl);
  assert.equal(parsed.state, oauthData.state, callbackUrl);
  const tokens = await auth.getMemberTokens(parsed.code, parsed.state, oauthData);
  const me = await myMember(emu, tokens);
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.member?.loginEmail, email);
  // and the new member can log in with the custom-login API too
  const login = await OAuthStrategy({ clientId: CLIENT_ID }).login({ email, password: PASSWORD });
  assert.equal(login.loginState, 'SUCCESS', JSON.stringify(login));
});

test('hosted sign-in with a wrong password delivers no code', async () => {
  const member = await registerMember(emu, PASSWORD, 'hosted');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  let callbackUrl;
  try {
    ({ callbackUrl } = await hostedLogin(auth, emu, { email: member.email, password: 'wrong password' }));
  } catch (e) {
    assert.match(e.message, /expected a redirect out of/, 'the page stays (re-rendered with an error)');
    return;
  }
  assert.equal(auth.parseFromUrl(callbackUrl).code, null, `no code for a wrong password: ${callbackUrl}`);
});

test('getMemberTokens rejects a state mismatch before any request', async () => {
  const member = await registerMember(emu, PASSWORD, 'hosted');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { oauthData, callbackUrl } = await hostedLogin(auth, emu, { email: member.email, password: PASSWORD });
  const parsed = auth.parseFromUrl(callbackUrl);
  const count = emu.requests.length;
  await assert.rejects(auth.getMemberTokens(parsed.code, auth.generateOAuthData(REDIRECT_URI).state, oauthData), /Invalid _state/);
  await assert.rejects(auth.getMemberTokens(parsed.code, null, oauthData), /Missing code or _state/);
  assert.equal(emu.requests.length, count, 'nothing sent');
  // the untouched code still works with the right state
  const tokens = await auth.getMemberTokens(parsed.code, parsed.state, oauthData);
  assert.equal(tokens.refreshToken.role, 'member');
});

test('the token endpoint rejects a code exchanged with another (registered) redirectUri: 400 invalid_grant', async () => {
  const member = await registerMember(emu, PASSWORD, 'hosted');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { oauthData, callbackUrl } = await hostedLogin(auth, emu, { email: member.email, password: PASSWORD });
  const parsed = auth.parseFromUrl(callbackUrl);
  await assert.rejects(auth.getMemberTokens(parsed.code, parsed.state, { ...oauthData, redirectUri: POST_LOGOUT_URL }), /invalid_grant/);
  const req = emu.last('/oauth2/token');
  assert.equal(req.status, 400);
  assert.equal(req.responseJson?.error, 'invalid_grant', req.responseText);
});

test('the token endpoint answers an unregistered redirectUri with a 302 carrying a fragment error', async () => {
  const member = await registerMember(emu, PASSWORD, 'hosted');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { oauthData, callbackUrl } = await hostedLogin(auth, emu, { email: member.email, password: PASSWORD });
  const parsed = auth.parseFromUrl(callbackUrl);
  const elsewhere = `${APP_ORIGIN}/not-registered`;
  await assert.rejects(auth.getMemberTokens(parsed.code, parsed.state, { ...oauthData, redirectUri: elsewhere }), /Failed to fetch tokens/);
  const req = emu.last('/oauth2/token');
  assert.equal(req.status, 302, req.responseText);
  const { error } = auth.parseFromUrl(new URL(req.responseHeaders.get('location'), elsewhere).href);
  assert.ok(['invalid_request', 'unauthorized_client', 'access_denied', 'server_error', 'temporarily_unavailable'].includes(error), `fragment error: ${error}`);
});

test('an unregistered redirectUri: the JSON API answers no redirect, and the URI never receives a code', async () => {
  const member = await registerMember(emu, PASSWORD, 'hosted');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const unregistered = `${APP_ORIGIN}/not-registered`;
  let session;
  try {
    session = await auth.getAuthUrl(auth.generateOAuthData(unregistered));
  } catch (e) {
    // Refused at creation: fine, if it is an error the SDK can read (a browser's fetch would follow a 3xx
    // to the app's URL and the SDK would see a CORS TypeError or HTML, never the error).
    const req = emu.last(REDIRECT_SESSION);
    assert.ok(req.status >= 400 && req.status < 500, `a 4xx JSON error, not ${req.status} ${req.responseHeaders.get('location') ?? ''}`);
    assert.ok(req.responseJson?.details?.applicationError || req.responseJson?.details?.validationError, req.responseText);
    return;
  }
  // Accepted at creation: then the hosted page must not hand a code to the unregistered URI.
  assert.ok(session.authUrl);
  const landed = await hostedLogin(auth, emu, { email: member.email, password: PASSWORD, redirectUri: unregistered })
    .then(({ callbackUrl }) => callbackUrl, (e) => { assert.match(e.message, /expected a redirect out of|no login form/); return null; });
  assert.ok(!landed || auth.parseFromUrl(landed).code === null, `no code for ${landed}`);
});

test('logout: logoutUrl is the emulator\'s, following it returns to postFlowUrl, local tokens are cleared', async () => {
  const member = await registerMember(emu, PASSWORD, 'hosted');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { oauthData, callbackUrl, jar } = await hostedLogin(auth, emu, { email: member.email, password: PASSWORD });
  const parsed = auth.parseFromUrl(callbackUrl);
  auth.setTokens(await auth.getMemberTokens(parsed.code, parsed.state, oauthData));
  assert.equal(auth.loggedIn(), true);

  const { logoutUrl } = await auth.logout(POST_LOGOUT_URL);
  const req = emu.last(REDIRECT_SESSION);
  assert.equal(req.body, JSON.stringify({ logout: { clientId: CLIENT_ID }, callbacks: { postFlowUrl: POST_LOGOUT_URL } }));
  assert.equal(req.status, 200, req.responseText);
  assert.equal(logoutUrl, req.responseJson.redirectSession.fullUrl);
  assert.equal(new URL(logoutUrl).origin, emu.siteUrl);
  assert.equal(auth.loggedIn(), false);
  assert.equal(auth.getTokens().refreshToken.role, 'none');

  const first = await browserGet(logoutUrl, jar, { Referer: `${APP_ORIGIN}/account` });
  const landed = await followUntilLeaving(first, emu.siteUrl, jar, logoutUrl);
  assert.equal(landed, POST_LOGOUT_URL);
});

test('logout to a postFlowUrl outside the allowed origins never lands there', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  let logoutUrl;
  try {
    ({ logoutUrl } = await auth.logout('https://evil.example/'));
  } catch {
    assert.notEqual(emu.last(REDIRECT_SESSION).status, 200, 'refused when the session is created');
    return;
  }
  const res = await browserGet(logoutUrl, new CookieJar());
  const location = res.headers.get('location');
  assert.ok(!location || !new URL(location, logoutUrl).href.startsWith('https://evil.example'), `redirected to ${location}`);
});

test('the hosted session: prompt none signs a signed-in browser in silently, and logout ends it', async () => {
  const member = await registerMember(emu, PASSWORD, 'hosted');
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const { jar } = await hostedLogin(auth, emu, { email: member.email, password: PASSWORD });

  const silent = auth.generateOAuthData(REDIRECT_URI);
  const { authUrl } = await auth.getAuthUrl(silent, { prompt: 'none' });
  assert.equal(emu.last(REDIRECT_SESSION).bodyJson.auth.prompt, 'none');
  const back = await followUntilLeaving(await browserGet(authUrl, jar), emu.siteUrl, jar, authUrl);
  const parsed = auth.parseFromUrl(back);
  assert.equal(parsed.state, silent.state, back);
  assert.equal((await auth.getMemberTokens(parsed.code, parsed.state, silent)).refreshToken.role, 'member');

  const { logoutUrl } = await auth.logout(POST_LOGOUT_URL);
  assert.equal(await followUntilLeaving(await browserGet(logoutUrl, jar), emu.siteUrl, jar, logoutUrl), POST_LOGOUT_URL);

  const after = auth.generateOAuthData(REDIRECT_URI);
  const { authUrl: again } = await auth.getAuthUrl(after, { prompt: 'none' });
  const refused = auth.parseFromUrl(await followUntilLeaving(await browserGet(again, jar), emu.siteUrl, jar, again));
  assert.equal(refused.code, null, 'no silent sign-in after logout');
  assert.equal(refused.state, after.state);
  assert.equal(typeof refused.error, 'string');
});

test('an app module call through createClient goes to edge.wixapis.com: the pre-warm redirect session', async () => {
  const client = createClient({ modules: { redirects }, auth: OAuthStrategy({ clientId: CLIENT_ID }) });
  const { redirectSession } = await client.redirects.createRedirectSession({ login: {} });
  const req = emu.last(REDIRECT_SESSION);
  assert.equal(req.host, 'edge.wixapis.com');
  assert.equal(req.body, '{"login":{}}');
  assert.equal(req.headers.authorization, client.auth.getTokens().accessToken.value);
  assert.equal(req.status, 200, req.responseText);
  assert.equal(new URL(redirectSession.fullUrl).origin, emu.siteUrl);
  const page = await browserGet(redirectSession.fullUrl, new CookieJar());
  assert.equal(page.status, 200, 'the page an iframe pre-warms with loads');
});

test('with --code-ttl an authorization code expires', async () => {
  const short = await startEmulator([...APP_FLAGS, '--code-ttl', '1']);
  try {
    const member = await registerMember(short, PASSWORD, 'hosted');
    const auth = OAuthStrategy({ clientId: CLIENT_ID });
    const { oauthData, callbackUrl } = await hostedLogin(auth, short, { email: member.email, password: PASSWORD });
    const parsed = auth.parseFromUrl(callbackUrl);
    await new Promise((r) => setTimeout(r, 2100));
    await assert.rejects(auth.getMemberTokens(parsed.code, parsed.state, oauthData), /invalid_grant/);
    assert.equal(short.last('/oauth2/token').status, 400);
  } finally {
    await short.stop();
  }
});
