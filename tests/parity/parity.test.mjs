// Parity with @wix/sdk 1.21.16: the real SDK and our package in the same headless Chromium page,
// against the same emulators, run the same scenarios (tests/parity/scenarios.page.js); their
// results are compared field by field (tests/parity/compare.mjs). Every difference must be one
// of the deliberate ones in tests/parity/allowed-differences.mjs, each of which
// docs/migrating-from-wix-sdk.md describes; a new difference, or a listed one that no longer
// occurs, fails. Prints the parity table. Run after scripts/build-pkg (scripts/test.d/35-parity.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEmulator, APP_FLAGS, DEFAULT_API_KEY, latestVerificationCode, messagesOf, outbox } from '../conformance/harness.mjs';
import { startPageServer, openPage } from './stack.mjs';
import { compare, summary } from './compare.mjs';
import { ALLOWED, FIXED } from './allowed-differences.mjs';

/** Which emulator (by its flags) a scenario needs; the rest run on the plain one. */
const EMULATOR_OF = {
  'email verification': 'verify',
  'email verification with the state argument': 'verify',
  'owner approval': 'approval',
};
const FLAGS = { plain: [], verify: ['--require-email-verification'], approval: ['--require-owner-approval'] };

const results = [];
let server;
let emulators;
let chrome;

before(async () => {
  server = await startPageServer();
  const app = ['--allowed-origin', server.origin, '--redirect-uri', `${server.origin}/callback`, ...APP_FLAGS];
  emulators = {};
  for (const [name, flags] of Object.entries(FLAGS)) emulators[name] = await startEmulator([...app, ...flags]);
  chrome = await openPage(server.origin, (op, arg) => answer(op, arg));
});

after(async () => {
  await chrome?.browser.close().catch(() => {});
  for (const emu of Object.values(emulators ?? {})) await emu.stop();
  await server?.close();
});

/** The emulator of the scenario now running (the page's requests to Node are about it). */
let current;

/** What the page asks of Node: things only a test can do (mail, the owner's approval, faults). */
async function answer(op, arg) {
  switch (op) {
    case 'fault':
      return current.json('/_emulator/faults', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(arg) });
    case 'verificationCode':
      return latestVerificationCode(current, arg);
    case 'approve':
      return (await current.json(`/_emulator/members/${encodeURIComponent(arg)}/approve`, { method: 'POST' })) && true;
    case 'mailKinds':
      return messagesOf(await outbox(current, arg)).map((m) => m.kind);
    case 'isMember': {
      if (!arg.token) return false;
      const res = await current.fetch('/members/v1/members/my?fieldsets=FULL', { headers: { Authorization: arg.token } });
      return res.status === 200 && (await res.text()).includes(arg.email);
    }
    default:
      throw new Error(`unknown op ${op}`);
  }
}

test('@wix/sdk and wix-headless-auth give the same results, but for the listed improvements', async (t) => {
  const names = await chrome.page.evaluate(() => window.scenarioNames);
  const used = new Set();
  for (const name of names) {
    // One subtest per scenario: a difference no entry accepts fails that scenario by name.
    await t.test(name, async () => {
      current = emulators[EMULATOR_OF[name] ?? 'plain'];
      const run = async (impl) => {
        try {
          return await chrome.page.evaluate(([n, i, u, k]) => window.runScenario(n, i, u, k), [name, impl, current.baseUrl, DEFAULT_API_KEY]);
        } catch (e) {
          throw new Error(`scenario "${name}" (${impl}) failed to run: ${e.message}\n${chrome.log.join('\n')}`);
        }
      };
      const sdk = await run('sdk');
      const ours = await run('ours');
      const r = { name, sdk, ours, diffs: compare(sdk, ours) };
      results.push(r);
      const unexplained = [];
      r.verdicts = r.diffs.map((d) => {
        const rule = ALLOWED.find((a) => a.scenario.test(name) && a.path.test(d.path) && a.match(d));
        if (rule) used.add(rule);
        else unexplained.push(`${d.path}: @wix/sdk ${JSON.stringify(d.sdk)} ≠ ours ${JSON.stringify(d.ours)}`);
        return rule;
      });
      assert.deepEqual(unexplained, [], 'differences that no entry of allowed-differences.mjs accepts');
    });
  }
  if (process.env.PARITY_DUMP) console.log(JSON.stringify(results, null, 1));
  printTable(results);
  const stale = ALLOWED.filter((a) => !used.has(a)).map((a) => a.id);
  assert.deepEqual(stale, [], 'listed differences that no scenario shows any more (remove them, and from the guide)');
  assert.deepEqual(FIXED.map((f) => f.scenario).filter((n) => !names.includes(n)), [], 'FIXED names scenarios that exist');
});

test('docs/migrating-from-wix-sdk.md describes every listed difference', () => {
  const guide = readFileSync(new URL('../../docs/migrating-from-wix-sdk.md', import.meta.url), 'utf8');
  const missing = ALLOWED.filter((a) => !guide.includes(a.doc)).map((a) => `${a.id}: "${a.doc}"`);
  assert.deepEqual(missing, []);
  assert.ok(!/\bidentical\b/i.test(guide), 'the guide must not call anything "identical": the table says what is the same');
});

/** The parity table: scenario, what each returned, and same / better / fixed. */
function printTable(rows) {
  const fixed = new Map(FIXED.map((f) => [f.scenario, f.was]));
  const lines = rows.map((r) => {
    const kinds = new Set(r.verdicts.map((v) => v?.kind ?? 'DIFFERENT'));
    let verdict = kinds.size === 0 ? 'same' : [...kinds].join('+');
    if (fixed.has(r.name)) verdict = `${verdict} (fixed: was ${fixed.get(r.name)})`;
    return [r.name, summary(r.sdk), summary(r.ours), verdict];
  });
  const head = ['scenario', '@wix/sdk 1.21.16', 'wix-headless-auth', 'verdict'];
  const width = head.map((h, i) => Math.min(60, Math.max(h.length, ...lines.map((l) => l[i].length))));
  const cell = (s, i) => (s.length > width[i] ? `${s.slice(0, width[i] - 1)}…` : s.padEnd(width[i]));
  const out = [head, width.map((w) => '-'.repeat(w)), ...lines].map((l) => `| ${l.map(cell).join(' | ')} |`);
  console.log(`\nParity with @wix/sdk 1.21.16 (${rows.length} scenarios)\n${out.join('\n')}\n`);
  for (const r of rows) {
    r.diffs.forEach((d, i) => {
      if (r.verdicts[i]) console.log(`  ${r.name}: ${d.path} — ${r.verdicts[i].kind} (${r.verdicts[i].id})`);
    });
  }
}
