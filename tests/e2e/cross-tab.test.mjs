// Several tabs of one shop in one browser profile (shared localStorage), against an emulator with
// 6-second access tokens and rotating refresh tokens (a reused one revokes its whole family): the
// setting in which browser OAuth clients log members out when two tabs refresh at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useStack, withPage, openShop, waitForText, textOf, emulatorJson, createMember, submitAccountForm, snap,
} from './harness.mjs';

const ACCESS_TTL_S = 6;
const stack = useStack({ emulatorFlags: ['--access-token-ttl', String(ACCESS_TTL_S), '--rotate-refresh-tokens'] });

async function stats() {
  const { status, json } = await emulatorJson(stack, '/_emulator/stats');
  assert.equal(status, 200);
  return { refreshes: json.grants?.refresh_token ?? 0, anonymous: json.grants?.anonymous ?? 0, reuse: json.refreshTokenReuseDetections };
}

/** Opens `n` tabs of the shop in `context`, signs `who` in through the first, waits for all. */
async function signedInTabs(page, context, n, who) {
  await createMember(stack, who);
  await openShop(page, stack);
  await submitAccountForm(page, 'login', who);
  const name = `${who.firstName} ${who.lastName}`;
  await waitForText(page, '#whoami-name', name);
  const tabs = [page];
  for (let i = 1; i < n; i++) {
    const tab = await context.newPage();
    await openShop(tab, stack);
    await waitForText(tab, '#whoami-name', name);
    tabs.push(tab);
  }
  // Every tab records its session-end events from here on.
  await Promise.all(tabs.map((t) => t.evaluate(async () => {
    const { auth } = await import('/auth.js');
    window.__ended = [];
    auth.onSessionEnded((reason) => window.__ended.push({ reason, at: Date.now() }));
  })));
  return tabs;
}

/** In the page: calls the members API through `fetchWithAuth` every `pauseMs` for `ms`. */
function hammer(tab, ms, pauseMs = 25) {
  return tab.evaluate(async ([ms, pauseMs]) => {
    const { auth, config } = await import('/auth.js');
    const out = { ok: 0, failed: [], members: new Set() };
    const end = Date.now() + ms;
    while (Date.now() < end) {
      try {
        const res = await auth.fetchWithAuth(`${config.baseUrl}/members/v1/members/my`);
        if (res.ok) {
          out.ok++;
          out.members.add((await res.json()).member.id);
        } else out.failed.push(`HTTP ${res.status}`);
      } catch (err) {
        out.failed.push(`${err.code ?? err.name}: ${err.message}`);
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
    return { ok: out.ok, failed: out.failed, members: [...out.members], loggedIn: auth.loggedIn(), ended: window.__ended };
  }, [ms, pauseMs]);
}

test('4 tabs calling the members API for 30 s across rotating refreshes: no sign-out, no reuse, one refresh per expiry', async () => {
  const grace = { email: 'grace@example.com', password: 'cobol-1959', firstName: 'Grace', lastName: 'Hopper' };
  await withPage(stack, 'cross-tab-4-tabs', async (page, context) => {
    const tabs = await signedInTabs(page, context, 4, grace);
    const before = await stats();
    const seconds = 30;
    const results = await Promise.all(tabs.map((t) => hammer(t, seconds * 1000)));
    const after = await stats();

    const refreshes = after.refreshes - before.refreshes;
    const calls = results.reduce((n, r) => n + r.ok, 0);
    console.log(`[cross-tab] 4 tabs, ${seconds} s, access TTL ${ACCESS_TTL_S} s: ${calls} successful members calls, `
      + `${refreshes} refresh requests, ${after.anonymous - before.anonymous} visitor grants, `
      + `${after.reuse - before.reuse} reuse detections, sign-outs ${results.reduce((n, r) => n + r.ended.length, 0)}`);
    for (const [i, r] of results.entries()) {
      assert.deepEqual(r.failed, [], `tab ${i}: every call succeeded`);
      assert.deepEqual(r.ended, [], `tab ${i}: no session ended`);
      assert.ok(r.loggedIn, `tab ${i} is still signed in`);
      assert.equal(r.members.length, 1, `tab ${i} saw one member`);
      assert.ok(r.ok > 50, `tab ${i} made calls (${r.ok})`);
    }
    assert.equal(new Set(results.map((r) => r.members[0])).size, 1, 'the same member everywhere');
    assert.equal(after.reuse - before.reuse, 0, 'no refresh token was ever used twice');
    assert.equal(after.anonymous - before.anonymous, 0, 'nobody fell back to a visitor');
    // A token counts as spent half its lifetime early (the skew cap for short-lived tokens), so
    // one refresh per 3 s is one per expiry: 10 in 30 s, give or take the second boundaries.
    const expected = seconds / (ACCESS_TTL_S / 2);
    assert.ok(refreshes >= expected - 2 && refreshes <= expected + 2, `${refreshes} refreshes for ${expected} expiries`);
    await snap(tabs[3], 'cross-tab-4-tabs-last');
  });
});

test('signing out in one tab signs out every tab within a second, and they share one new visitor', async () => {
  const alan = { email: 'alan@example.com', password: 'enigma-1941', firstName: 'Alan', lastName: 'Turing' };
  await withPage(stack, 'cross-tab-sign-out', async (page, context) => {
    const tabs = await signedInTabs(page, context, 4, alan);
    const before = await stats();
    const signedOutAt = await page.evaluate(async () => {
      const { auth } = await import('/auth.js');
      const at = Date.now();
      await auth.logout(location.href);
      return at;
    });
    const heardAfter = [];
    for (const [i, tab] of tabs.slice(1).entries()) {
      await tab.waitForFunction(() => window.__ended.length > 0, null, { timeout: 5000 });
      const { ended, loggedIn } = await tab.evaluate(async () => ({ ended: window.__ended, loggedIn: (await import('/auth.js')).auth.loggedIn() }));
      assert.equal(ended.length, 1, `tab ${i + 1}: one event`);
      assert.equal(ended[0].reason, 'signed_out_in_another_tab');
      heardAfter.push(ended[0].at - signedOutAt);
      assert.ok(ended[0].at - signedOutAt < 1000, `tab ${i + 1} heard it after ${ended[0].at - signedOutAt} ms`);
      assert.equal(loggedIn, false);
      await waitForText(tab, '#whoami-name', 'Visitor');
    }
    console.log(`[cross-tab] sign-out heard by the other tabs after ${heardAfter.join(', ')} ms (logout() called at 0)`);
    // Each signed-out tab asks for visitor tokens at once (the demo does): one visitor for all.
    await page.waitForFunction(async () => (await import('/auth.js')).auth.getActiveToken() !== '');
    const tokens = await Promise.all(tabs.map((t) => t.evaluate(async () => {
      const { auth } = await import('/auth.js');
      return (await auth.getAuthHeaders()).headers.Authorization;
    })));
    assert.equal(new Set(tokens).size, 1, 'one visitor token in every tab');
    assert.equal((await stats()).anonymous - before.anonymous, 1, 'one visitor minted');
    await waitForText(tabs[1], '#notice', 'signed out in another tab');
  });
});

test('while the token endpoint answers 503 the member stays signed in, and the session recovers', async () => {
  const ida = { email: 'ida@example.com', password: 'navier-1903', firstName: 'Ida', lastName: 'Rhodes' };
  await withPage(stack, 'cross-tab-outage', async (page, context) => {
    const [tab] = await signedInTabs(page, context, 1, ida);
    const before = await stats();
    // Enough failures to outlast several calls' retries.
    const fault = await emulatorJson(stack, '/_emulator/faults', { method: 'POST', body: { endpoint: 'token', count: 12, status: 503 } });
    assert.equal(fault.status, 200);
    const result = await tab.evaluate(async (ttl) => {
      const { auth, config } = await import('/auth.js');
      const seen = [];
      const end = Date.now() + 30_000;
      await new Promise((r) => setTimeout(r, ttl * 1000));
      while (Date.now() < end) {
        try {
          const res = await auth.fetchWithAuth(`${config.baseUrl}/members/v1/members/my`);
          seen.push(res.status);
          if (res.ok) break;
        } catch (err) {
          seen.push(`${err.code}/${err.status}`);
          if (!auth.loggedIn()) break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      return { seen, loggedIn: auth.loggedIn(), ended: window.__ended };
    }, ACCESS_TTL_S);
    const after = await stats();
    assert.ok(result.seen.some((s) => String(s).endsWith('/503')), `the outage was seen: ${result.seen}`);
    assert.equal(result.seen.at(-1), 200, `recovered: ${result.seen}`);
    assert.ok(result.loggedIn);
    assert.deepEqual(result.ended, []);
    assert.equal(after.anonymous - before.anonymous, 0, 'never downgraded to a visitor');
    await waitForText(tab, '#whoami-name', 'Ida Rhodes');
  });
});

test('fetchWithAuth after the server revoked the access token: one refresh, one retry, success', async () => {
  const ken = { email: 'ken@example.com', password: 'unix-1969!', firstName: 'Ken', lastName: 'Thompson' };
  await withPage(stack, 'cross-tab-revoked', async (page, context) => {
    const [tab] = await signedInTabs(page, context, 1, ken);
    const token = await tab.evaluate(async () => (await import('/auth.js')).auth.getActiveToken());
    const revoked = await emulatorJson(stack, '/_emulator/tokens/revoke', { method: 'POST', body: { accessToken: token } });
    assert.deepEqual([revoked.status, revoked.json.revoked], [200, true]);
    const before = await stats();
    const result = await tab.evaluate(async () => {
      const { auth, config } = await import('/auth.js');
      // Count this call's own requests (the demo page calls the members API too, on token changes).
      const real = window.fetch;
      let sent = 0;
      window.fetch = function (input, init) {
        if (String(input?.url ?? input).includes('probe=1')) sent++;
        return real.call(this, input, init);
      };
      const res = await auth.fetchWithAuth(`${config.baseUrl}/members/v1/members/my?probe=1&fieldsets=FULL`, { headers: { Accept: 'application/json' } });
      window.fetch = real;
      return { status: res.status, email: (await res.json()).member?.loginEmail, token: auth.getActiveToken(), sent };
    });
    const after = await stats();
    assert.equal(result.status, 200);
    assert.equal(result.email, ken.email);
    assert.notEqual(result.token, token, 'a new access token');
    assert.equal(after.refreshes - before.refreshes, 1, 'one refresh');
    assert.equal(result.sent, 2, 'the refused call and one retry');
  });
});

test('without Web Locks, 4 tabs opened together make one visitor and later refresh it once (storage lease)', async () => {
  await withPage(stack, 'cross-tab-no-web-locks', async (page, context) => {
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined }));
    const before = await stats();
    const tabs = [page, ...await Promise.all([1, 2, 3].map(() => context.newPage()))];
    await Promise.all(tabs.map((t) => openShop(t, stack)));
    const tokens = await Promise.all(tabs.map((t) => t.evaluate(async () => {
      const { auth } = await import('/auth.js');
      return { locks: typeof navigator.locks, token: (await auth.getAuthHeaders()).headers.Authorization };
    })));
    assert.ok(tokens.every((t) => t.locks === 'undefined'), 'the pages really had no Web Locks');
    assert.equal(new Set(tokens.map((t) => t.token)).size, 1, 'one visitor token in every tab');
    const minted = await stats();
    assert.equal(minted.anonymous - before.anonymous, 1, 'one anonymous grant');

    // Once the token is spent, the 4 tabs ask at once again: one refresh of the rotating token.
    await page.waitForTimeout((ACCESS_TTL_S / 2) * 1000 + 1100);
    const renewed = await Promise.all(tabs.map((t) => t.evaluate(async () => {
      const { auth } = await import('/auth.js');
      return (await auth.getAuthHeaders()).headers.Authorization;
    })));
    const after = await stats();
    assert.equal(new Set(renewed).size, 1, 'one renewed token in every tab');
    assert.notEqual(renewed[0], tokens[0].token);
    assert.equal(after.refreshes - minted.refreshes, 1, 'one refresh across the tabs');
    assert.equal(after.reuse - minted.reuse, 0, 'the rotated refresh token was spent once');
    assert.equal(after.anonymous, minted.anonymous, 'no new visitor');
  });
});

/**
 * Four tabs ask for tokens within the same millisecond while each tab's main thread runs long
 * tasks (60-100 ms, as a page does while it loads), which delays each tab's view of the others'
 * localStorage writes. (Page loads stagger the tabs of the tests above, so they rarely contend.)
 */
async function busyTabsContend(name, withoutWebLocks) {
  for (let round = 0; round < 5; round++) {
    await withPage(stack, `${name}-${round}`, async (page, context) => {
      if (withoutWebLocks) {
        await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined }));
      }
      await context.addInitScript(() => setInterval(() => {
        const end = performance.now() + 60 + Math.random() * 40;
        while (performance.now() < end);
      }, 70));
      const tabs = [page, ...await Promise.all([1, 2, 3].map(() => context.newPage()))];
      // A file of the shop's origin: a page that does not call the library on its own.
      await Promise.all(tabs.map((t) => t.goto(`${stack.demoUrl}/style.css`)));
      const locks = await Promise.all(tabs.map((t) => t.evaluate(async () => {
        await import('/auth.js');
        return typeof navigator.locks;
      })));
      assert.deepEqual(new Set(locks), new Set([withoutWebLocks ? 'undefined' : 'object']));
      const before = await stats();
      const at = Date.now() + 300;
      const tokens = await Promise.all(tabs.map((t) => t.evaluate(async (at) => {
        const { auth } = await import('/auth.js');
        while (Date.now() < at) await new Promise((r) => setTimeout(r, 1));
        return (await auth.getAuthHeaders()).headers.Authorization;
      }, at)));
      const after = await stats();
      assert.equal(after.anonymous - before.anonymous, 1, `round ${round}: one anonymous grant`);
      assert.equal(new Set(tokens).size, 1, `round ${round}: one visitor token in every tab`);
    });
  }
}

test('4 busy tabs asking at the same moment make one visitor (Web Locks)', async () => {
  await busyTabsContend('cross-tab-busy-web-locks', false);
});

test('without Web Locks, 4 busy tabs asking at the same moment make one visitor (storage lease)', async () => {
  await busyTabsContend('cross-tab-busy-lease', true);
});
