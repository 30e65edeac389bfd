// The shop's own form: sign-up with email verification, sign-out, sign-in; and the messages a
// shopper sees when it goes wrong. The emulator requires email verification here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useStack, withPage, openShop, waitForReady, waitForText, textOf, submitAccountForm, snap, outbox, signOut,
} from './harness.mjs';

const grace = { email: 'grace@example.com', password: 'cobol-1959', firstName: 'Grace', lastName: 'Hopper' };

/** The verification code the dev panel's outbox shows for `email` (newest first). */
async function codeInOutbox(page, email) {
  const code = page.locator('#outbox .mail').filter({ hasText: `to ${email}` }).locator('.outbox-code').first();
  return (await code.textContent()).trim();
}

const stack = useStack({ emulatorFlags: ['--require-email-verification'] });

test('sign up with email verification, sign out, sign in with the custom form', async () => {
  await withPage(stack, 'custom-sign-up-verify-sign-in', async (page) => {
    await openShop(page, stack);
    await submitAccountForm(page, 'register', grace);

    // The verification step, with the code read from the emulator's outbox in the dev panel.
    await page.getByLabel('Verification code').waitFor();
    await waitForText(page, '[role=status]', 'emailed you');
    const code = await codeInOutbox(page, grace.email);
    const mails = await outbox(stack, grace.email);
    assert.equal(code, mails.at(-1).code, 'the dev panel shows the code the emulator sent');
    await snap(page, 'custom-sign-up-verification-step');
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify and continue' }).click();

    await waitForText(page, '#whoami-name', 'Grace Hopper');
    assert.equal(await textOf(page, '#token-role'), 'member');
    await snap(page, 'custom-signed-in');

    // Sign out goes through the emulator's logout URL and back to the shop as a visitor.
    await signOut(page, stack);
    assert.equal(await textOf(page, '#whoami-name'), 'Visitor');
    assert.equal(await textOf(page, '#token-role'), 'visitor');

    // Signing in again, with the keyboard alone: Tab from email to password, Enter submits.
    await page.getByRole('form', { name: 'Email sign-in' }).getByLabel('Email').focus();
    await page.keyboard.type(grace.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(grace.password);
    await page.keyboard.press('Enter');
    await waitForText(page, '#whoami-name', 'Grace Hopper');
    assert.equal(await textOf(page, '#token-role'), 'member');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Sign out', 'focus moves to Sign out');
    await page.reload();
    await waitForReady(page);
    assert.equal(await textOf(page, '#whoami-name'), 'Grace Hopper');
  });
});

test('wrong password, unknown email and an existing email get messages a shopper understands', async () => {
  const linus = { email: 'linus@example.com', password: 'right-password', firstName: 'Linus', lastName: 'Pauling' };
  await withPage(stack, 'custom-login-errors', async (page) => {
    await openShop(page, stack);
    await submitAccountForm(page, 'register', linus);
    await page.getByLabel('Verification code').fill(await codeInOutbox(page, linus.email));
    await page.getByRole('button', { name: 'Verify and continue' }).click();
    await waitForText(page, '#whoami-name', 'Linus Pauling');
    await signOut(page, stack);

    await submitAccountForm(page, 'login', { ...linus, password: 'wrong-password' });
    await waitForText(page, '[role=alert]', 'password doesn’t match');
    assert.equal(await textOf(page, '#whoami-name'), 'Visitor');
    await snap(page, 'custom-wrong-password');

    await submitAccountForm(page, 'login', { ...linus, email: 'nobody@example.com' });
    await waitForText(page, '[role=alert]', 'couldn’t find an account');

    await submitAccountForm(page, 'register', { ...linus, password: 'another-password' });
    await waitForText(page, '[role=alert]', 'already exists');
    assert.equal(await textOf(page, '#whoami-name'), 'Visitor');

    // The network drops while signing in: the right password, but no answer from the server.
    await page.route('**/_api/iam/authentication/v2/login', (route) => route.abort('internetdisconnected'));
    await submitAccountForm(page, 'login', linus);
    await waitForText(page, '[role=alert]', 'can’t reach the store');
    assert.equal(await textOf(page, '#whoami-name'), 'Visitor');
    await snap(page, 'custom-network-trouble');
    await page.unroute('**/_api/iam/authentication/v2/login');
    await submitAccountForm(page, 'login', linus);
    await waitForText(page, '#whoami-name', 'Linus Pauling');
  });
});
