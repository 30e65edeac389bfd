// In a browser the SDK's calls are cross-origin: the headers it really sends must pass CORS preflight
// from an allowed origin, and the response headers it reads must be exposed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthStrategy } from '@wix/sdk';
import { startEmulator, CLIENT_ID, APP_FLAGS, APP_ORIGIN, REDIRECT_URI, uniqueEmail } from './harness.mjs';

let emu;
before(async () => { emu = await startEmulator(APP_FLAGS); });
after(async () => { await emu?.stop(); });

/** Request headers a browser does not preflight for (the CORS-safelisted ones, simplified). */
const SAFELISTED = new Set(['accept', 'accept-language', 'content-language']);

/** Drive the SDK once through its calls, so the test learns the headers it sends to each path. */
async function sdkTraffic() {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const email = uniqueEmail('cors');
  await auth.register({ email, password: 'cors-password' });
  await auth.login({ email, password: 'cors-password' });
  await auth.getAuthUrl(auth.generateOAuthData(REDIRECT_URI));
  await auth.sendPasswordResetEmail(email, `${APP_ORIGIN}/`);
  await auth.renewToken(auth.getTokens().refreshToken);
  const byPath = new Map();
  for (const r of emu.requests) {
    const names = byPath.get(r.path) ?? new Set();
    for (const h of Object.keys(r.headers)) if (!SAFELISTED.has(h)) names.add(h);
    byPath.set(r.path, names);
  }
  return byPath;
}

test('preflight from an allowed origin admits every header the SDK sends, on every path it calls', async () => {
  const byPath = await sdkTraffic();
  assert.ok(byPath.size >= 5, [...byPath.keys()].join(' '));
  for (const [path, names] of byPath) {
    const wanted = [...names].sort().join(',');
    const res = await emu.fetch(path, {
      method: 'OPTIONS',
      headers: { Origin: APP_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': wanted },
    });
    assert.ok(res.status >= 200 && res.status < 300, `${path}: preflight ${res.status}`);
    assert.equal(res.headers.get('access-control-allow-origin'), APP_ORIGIN, path);
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',').map((h) => h.trim());
    for (const name of names) assert.ok(allowed.includes(name) || allowed.includes('*'), `${path}: ${name} not in ${allowed}`);
    const methods = (res.headers.get('access-control-allow-methods') ?? '').toUpperCase();
    assert.match(methods, /POST|\*/, path);
  }
});

test('responses to an allowed origin expose x-wix-request-id (the SDK quotes it in errors)', async () => {
  const res = await emu.fetch('/oauth2/token', {
    method: 'POST', headers: { Origin: APP_ORIGIN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ clientId: CLIENT_ID, grantType: 'refresh_token', refreshToken: 'bogus' }),
  });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('access-control-allow-origin'), APP_ORIGIN);
  assert.ok(res.headers.get('x-wix-request-id'), 'a request id');
  const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
  assert.match(exposed, /x-wix-request-id|\*/);
});

test('a foreign origin is not granted CORS', async () => {
  const res = await emu.fetch('/oauth2/token', {
    method: 'OPTIONS',
    headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
  const acao = res.headers.get('access-control-allow-origin');
  assert.ok(acao !== 'https://evil.example' && acao !== '*', `allow-origin: ${acao}`);
});

test('the SDK\'s token errors quote the server\'s request id', async () => {
  const auth = OAuthStrategy({ clientId: CLIENT_ID });
  const err = await auth.renewToken({ value: 'bogus', role: 'visitor' }).catch((e) => e);
  const id = emu.last('/oauth2/token').responseHeaders.get('x-wix-request-id');
  assert.ok(id, 'x-wix-request-id is sent');
  assert.match(err.message, new RegExp(`request id: ${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`));
});
