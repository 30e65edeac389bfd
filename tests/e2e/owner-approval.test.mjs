// A store that approves every new member by hand: sign-up ends in "waiting for approval".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useStack, withPage, openShop, waitForText, textOf, submitAccountForm } from './harness.mjs';

const stack = useStack({ emulatorFlags: ['--require-owner-approval'] });

test('sign-up that needs the owner’s approval says so and signs no one in', async () => {
  const alan = { email: 'alan@example.com', password: 'enigma-1936', firstName: 'Alan', lastName: 'Turing' };
  await withPage(stack, 'owner-approval-pending', async (page) => {
    await openShop(page, stack);
    await submitAccountForm(page, 'register', alan);
    await waitForText(page, '[role=status]', 'store owner needs to approve');
    assert.equal(await textOf(page, '#whoami-name'), 'Visitor');
    assert.equal(await textOf(page, '#token-role'), 'visitor');

    // Signing in before the approval gives the same answer, not a password error.
    await submitAccountForm(page, 'login', alan);
    await waitForText(page, '[role=status]', 'store owner needs to approve');
    assert.equal(await textOf(page, '#whoami-name'), 'Visitor');
  });
});
