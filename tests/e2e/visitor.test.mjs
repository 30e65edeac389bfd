// A first visit gets one anonymous visitor; a reload is the same visitor, not a new one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack, withPage, openShop, waitForReady, textOf, grantCount } from './harness.mjs';

const stack = useStack();

test('first visit is a visitor session; reload keeps the same visitor', async () => {
  await withPage(stack, 'visitor-session', async (page) => {
    await openShop(page, stack);
    assert.equal(await textOf(page, '#whoami-name'), 'Visitor');
    assert.equal(await textOf(page, '#token-role'), 'visitor');
    const accessPrefix = await textOf(page, '#token-access');
    const refreshPrefix = await textOf(page, '#token-refresh');
    for (const prefix of [accessPrefix, refreshPrefix]) {
      assert.match(prefix, /^(?:[A-Za-z]{1,8}\.){0,2}….{6}$/, `the dev panel shows only the tag and 6 characters: ${prefix}`);
    }
    assert.equal(await grantCount(stack, 'anonymous'), 1, 'one anonymous token request');

    // Nothing on the page shows a whole token, although the library keeps them in localStorage.
    const leaked = await page.evaluate(() => {
      const shown = document.body.innerText;
      const secrets = Object.values(localStorage).flatMap((v) => v.match(/[A-Za-z0-9._~+/=-]{24,}/g) ?? []);
      return { secrets: secrets.length, leaked: secrets.filter((s) => shown.includes(s)) };
    });
    assert.ok(leaked.secrets > 0, 'tokens are persisted in localStorage');
    assert.deepEqual(leaked.leaked, []);

    await page.reload();
    await waitForReady(page);
    assert.equal(await textOf(page, '#whoami-name'), 'Visitor');
    assert.equal(await textOf(page, '#token-refresh'), refreshPrefix, 'same refresh token after reload');
    assert.equal(await textOf(page, '#token-access'), accessPrefix, 'same access token after reload');
    assert.equal(await grantCount(stack, 'anonymous'), 1, 'no second anonymous token request');
  });
});
