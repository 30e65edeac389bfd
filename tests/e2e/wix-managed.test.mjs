// "Sign in with Wix": the emulator's hosted page, back to callback.html, back to the shop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useStack, withPage, openShop, waitForReady, waitForText, textOf, grantCount, createMember, snap, submitAccountForm,
} from './harness.mjs';

const ada = { email: 'ada@example.com', password: 'analytical-engine', firstName: 'Ada', lastName: 'Lovelace' };

const stack = useStack({ setup: (s) => createMember(s, ada) });

/** Clicks "Sign in with Wix" and fills the emulator's hosted sign-in form. */
async function signInOnHostedPage(page, member) {
  await page.getByRole('button', { name: 'Sign in with Wix' }).click();
  await page.waitForURL((url) => url.href.startsWith(stack.siteUrl));
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(member.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('Wix-managed sign-in shows the member, and a reload keeps them', async () => {
  await withPage(stack, 'wix-managed-sign-in', async (page) => {
    await openShop(page, stack);
    assert.equal(await textOf(page, '#whoami-name'), 'Visitor');
    const codeGrantsBefore = await grantCount(stack, 'authorization_code');

    await signInOnHostedPage(page, ada);
    // callback.html exchanges the code, then returns to the page that started the sign-in.
    await page.waitForURL(`${stack.demoUrl}/`);
    await waitForReady(page);
    await waitForText(page, '#whoami-name', 'Ada Lovelace');
    assert.equal(await textOf(page, '#whoami-detail'), ada.email);
    assert.equal(await textOf(page, '#token-role'), 'member');
    assert.ok(!/[?#&](code|state)=/.test(page.url()), `no code or state left in ${page.url()}`);
    assert.equal(await grantCount(stack, 'authorization_code'), codeGrantsBefore + 1);

    await page.reload();
    await waitForReady(page);
    await waitForText(page, '#whoami-name', 'Ada Lovelace');
    assert.equal(await textOf(page, '#token-role'), 'member');
  });
});

test('a callback with a tampered state shows an error and signs no one in', async () => {
  await withPage(stack, 'callback-tampered-state', async (page, context) => {
    // Before callback.html runs, swap the state the hosted page sent back for one never issued.
    await context.addInitScript(() => {
      if (!location.pathname.endsWith('/callback.html')) return;
      const params = new URLSearchParams(location.hash.slice(1));
      if (!params.has('state')) return;
      params.set('state', `tampered${params.get('state').slice(8)}`);
      history.replaceState(null, '', `${location.pathname}#${params}`);
    });
    await openShop(page, stack);
    const codeGrantsBefore = await grantCount(stack, 'authorization_code');

    await signInOnHostedPage(page, ada);
    await page.waitForURL((url) => url.pathname === '/callback.html');
    await waitForReady(page);
    await waitForText(page, '[role=alert]', 'doesn’t match');
    await snap(page, 'callback-tampered-state-error');
    assert.ok(!/[?#&](code|state)=/.test(page.url()), `no code or state left in ${page.url()}`);
    assert.equal(await grantCount(stack, 'authorization_code'), codeGrantsBefore, 'the code was never exchanged');

    await page.getByRole('link', { name: 'Back to the shop' }).click();
    await waitForReady(page);
    assert.equal(await textOf(page, '#whoami-name'), 'Visitor');
    assert.equal(await textOf(page, '#token-role'), 'visitor');
  });
});

test('forgot password: the emailed link sets a new password that then signs in', async () => {
  const ben = { email: 'ben@example.com', password: 'old-password', firstName: 'Ben', lastName: 'Franklin' };
  await createMember(stack, ben);
  await withPage(stack, 'forgot-password', async (page) => {
    await openShop(page, stack);
    await page.getByRole('form', { name: 'Email sign-in' }).getByLabel('Email').fill(ben.email);
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    const reset = page.getByRole('form', { name: 'Reset your password' });
    assert.equal(await reset.getByLabel('Email').inputValue(), ben.email, 'the email carries over');
    await reset.getByRole('button', { name: 'Send reset link' }).click();
    await waitForText(page, '[role=status]', 'reset link is on its way');

    // The developer panel shows the email the emulator "sent"; follow its link.
    await page.getByRole('link', { name: 'Choose a new password' }).click();
    await page.waitForURL((url) => url.href.startsWith(stack.siteUrl));
    await page.getByLabel('New password').fill('new-password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.waitForURL((url) => url.origin === stack.demoUrl && url.pathname === '/');
    await waitForReady(page);
    await waitForText(page, '[role=status]', 'password has been changed');

    await submitAccountForm(page, 'login', ben);
    await waitForText(page, '[role=alert]', 'password doesn’t match');
    await submitAccountForm(page, 'login', { ...ben, password: 'new-password' });
    await waitForText(page, '#whoami-name', 'Ben Franklin');
  });
});

test('signing in in one tab shows the member in another open tab', async () => {
  await withPage(stack, 'two-tabs', async (page, context) => {
    await openShop(page, stack);
    const other = await context.newPage();
    await openShop(other, stack);
    assert.equal(await textOf(other, '#whoami-name'), 'Visitor');

    await submitAccountForm(page, 'login', ada);
    await waitForText(page, '#whoami-name', 'Ada Lovelace');
    await waitForText(other, '#whoami-name', 'Ada Lovelace');
    assert.equal(await textOf(other, '#token-role'), 'member');
    await snap(other, 'two-tabs-other');
  });
});
