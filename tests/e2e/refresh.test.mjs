// Access tokens that live 3 seconds: the member stays signed in across expiry, by refresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useStack, withPage, openShop, waitForReady, waitForText, textOf, grantCount, submitAccountForm,
} from './harness.mjs';

const stack = useStack({ emulatorFlags: ['--access-token-ttl', '3'] });

test('an expired access token is renewed: the member stays signed in', async () => {
  const kay = { email: 'kay@example.com', password: 'smalltalk-80', firstName: 'Kay', lastName: 'Lovelace' };
  await withPage(stack, 'refresh-after-expiry', async (page) => {
    await openShop(page, stack);
    await submitAccountForm(page, 'register', kay);
    await waitForText(page, '#whoami-name', 'Kay Lovelace');
    const accessBefore = await textOf(page, '#token-access');
    const refreshesBefore = await grantCount(stack, 'refresh_token');

    // The dev panel's countdown runs out…
    await waitForText(page, '#token-expiry', 'expired');
    // …and the next page load renews the token instead of losing the member.
    await page.reload();
    await waitForReady(page);
    await waitForText(page, '#whoami-name', 'Kay Lovelace');
    assert.equal(await textOf(page, '#token-role'), 'member');
    assert.notEqual(await textOf(page, '#token-access'), accessBefore, 'a new access token');
    assert.ok(await grantCount(stack, 'refresh_token') > refreshesBefore, 'renewed with the refresh token');
  });
});
