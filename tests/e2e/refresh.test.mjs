// Access tokens that live 3 seconds: the member stays signed in across expiry, by refresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useStack, withPage, openShop, waitForReady, waitForText, textOf, grantCount, submitAccountForm, emulatorJson,
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

test('a member whose refresh token is refused is told the session ended, and browses on as a visitor', async () => {
  const lin = { email: 'lin@example.com', password: 'vietnam-1982', firstName: 'Maya', lastName: 'Lin' };
  await withPage(stack, 'session-ended', async (page) => {
    await openShop(page, stack);
    await submitAccountForm(page, 'register', lin);
    await waitForText(page, '#whoami-name', 'Maya Lin');

    // The site forgets every session (the emulator's data is wiped) while the access token runs out.
    const wiped = await emulatorJson(stack, '/_emulator/reset', { method: 'POST' });
    assert.equal(wiped.status, 200);
    await waitForText(page, '#token-expiry', 'expired');
    await page.reload();
    await waitForReady(page);
    await waitForText(page, '[role=alert]', 'session has ended');
    await waitForText(page, '#whoami-name', 'Visitor');
    await waitForText(page, '#token-role', 'visitor');
    assert.match(await textOf(page, '[role=alert]'), /session has ended/, 'the message stays');
  });
});
