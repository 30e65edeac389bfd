// The server-to-browser session checks shared by the Next.js and Astro drivers. The app at
// `origin` renders `#server` (data-role, data-visitor = the refresh token's fingerprint,
// data-email, data-header) on the server, exposes `window.app` in the page over the same
// `wixSession` cookie, and answers GET /api/session (who) and POST /api/session (sign out).
import assert from 'node:assert/strict';
import { newMember, open, visitorsMinted } from './browser.mjs';

const clientId = '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a';

/** What the server rendered into #server. */
const rendered = (page) => page.$eval('#server', (el) => ({ ...el.dataset }));
/** GET /api/session from the page (with its cookie). */
const apiSession = (page) => page.evaluate(() => fetch('/api/session').then((r) => r.json()));

/** With no cookie: the route handler and the server render each get a visitor header and set the cookie. */
export async function serverOnly(origin) {
  const api = await fetch(`${origin}/api/session`);
  assert.equal(api.status, 200);
  const body = await api.json();
  assert.equal(body.role, 'visitor');
  assert.equal(body.header, true);
  assert.match(api.headers.get('set-cookie') ?? '', /wixSession=/);
  const html = await (await fetch(origin)).text();
  assert.match(html, /data-role="visitor"/);
  assert.match(html, /data-header="yes"/);
}

/** A cookie that is not JSON, of another client, of the wrong shape or too large is replaced by a new visitor. */
export async function badCookiesReplaced(origin) {
  const other = JSON.stringify({ clientId: 'another-client', tokens: { accessToken: { value: 'x', expiresAt: 9e9 }, refreshToken: { value: 'y', role: 'member' } } });
  const wrongShape = JSON.stringify({ clientId, tokens: { accessToken: { value: 1 }, refreshToken: { value: 'y', role: 'admin' } } });
  for (const value of ['not-json', encodeURIComponent(other), encodeURIComponent(wrongShape), 'x'.repeat(5000)]) {
    const reply = await fetch(`${origin}/api/session`, { headers: { cookie: `wixSession=${value}` } });
    assert.equal(reply.status, 200, `cookie ${value.slice(0, 40)}…`);
    assert.equal((await reply.json()).role, 'visitor');
    const set = reply.headers.get('set-cookie') ?? '';
    const replaced = /wixSession=([^;]*)/.exec(set)?.[1];
    assert.ok(replaced && replaced !== value, `the bad cookie ${value.slice(0, 40)}… was not replaced`);
    assert.equal(JSON.parse(decodeURIComponent(replaced)).clientId, clientId);
  }
}

/**
 * One visitor from the server render to the page: the page and the route handler continue with
 * the visitor the server minted; a member signed in in the page is the next server render's;
 * signing out in the page or on the server reaches the other side, and a page's sign-out reaches
 * the shop's other tab.
 */
export async function sessionShared(url, name) {
  const before = await visitorsMinted();
  const opened = await open(url);
  const { page, errors } = opened;
  const server = await rendered(page);
  assert.equal(server.role, 'visitor');
  const browser = await page.evaluate(() => window.app.headers());
  assert.equal(browser.role, 'visitor');
  assert.equal(browser.visitor, server.visitor, 'the page continues with the visitor the server minted');
  assert.equal((await apiSession(page)).visitor, server.visitor, 'the route handler sees the same visitor');
  assert.equal(await visitorsMinted() - before, 1, 'one visitor was minted, not one per side');

  const email = await newMember(opened, name);
  const signedIn = await page.evaluate(([e]) => window.app.signIn(e, 'correct horse 4'), [email]);
  assert.deepEqual(signedIn, { loginState: 'SUCCESS', role: 'member', loggedIn: true });
  await page.reload();
  await page.waitForFunction(() => window.app, null, { timeout: 30_000 });
  const asMember = await rendered(page);
  assert.equal(asMember.role, 'member', 'the next server render sees the member signed in in the page');
  assert.equal(asMember.email, email);
  assert.equal((await apiSession(page)).email, email);

  // Sign-out in the page reaches the server (the next render is a new visitor) and the shop's
  // other tab at once (the storage's change is announced between tabs; that tab makes no call).
  let other = await memberTab(opened);
  assert.equal(await page.evaluate(() => window.app.signOut()), false);
  await hearsSignOut(other);
  await page.reload();
  await page.waitForFunction(() => window.app, null, { timeout: 30_000 });
  const afterSignOut = await rendered(page);
  assert.equal(afterSignOut.role, 'visitor');
  assert.equal(afterSignOut.email, '');
  assert.notEqual(afterSignOut.visitor, server.visitor);

  // Sign-out on the server (a route handler) reaches the page, and the other tab at once (its
  // Set-Cookie is a cookie change no strategy made).
  await page.evaluate(([e]) => window.app.signIn(e, 'correct horse 4'), [email]);
  assert.equal(await page.evaluate(() => window.app.loggedIn()), true);
  other = await memberTab(opened);
  const signOut = await page.evaluate(() => fetch('/api/session', { method: 'POST' }).then((r) => r.json()));
  assert.equal(signOut.loggedIn, false);
  assert.equal(await page.evaluate(() => window.app.loggedIn()), false, 'the page sees the server sign-out');
  await hearsSignOut(other);
  assert.equal((await page.evaluate(() => window.app.headers())).role, 'visitor');
  assert.deepEqual(errors, []);
  await opened.context.close();
}

/** Another tab of the shop, open on the same page, signed in as the member. */
async function memberTab({ context, page }) {
  const tab = await context.newPage();
  await tab.goto(page.url());
  await tab.waitForFunction(() => window.app, null, { timeout: 30_000 });
  assert.equal(await tab.evaluate(() => window.app.loggedIn()), true);
  return tab;
}

/** `tab` hears that the member signed out elsewhere, without a call of its own; then closes. */
async function hearsSignOut(tab) {
  const heard = await tab.waitForFunction(() => window.app.ended().includes('signed_out_in_another_tab'), null, { timeout: 10_000 })
    .then(() => true, () => false);
  assert.ok(heard, `the other tab did not hear the sign-out: ${JSON.stringify(await tab.evaluate(() =>
    ({ ended: window.app.ended(), cookie: document.cookie.includes('wixSession=') })))}`);
  assert.equal(await tab.evaluate(() => window.app.loggedIn()), false);
  await tab.close();
}
