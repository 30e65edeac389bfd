// docs/api.md must keep up with the package: every member of the exported classes and every
// option and error code in the shipped .d.ts is named in it. Run from the repository root after
// scripts/build-pkg: node --test tests/consumers/api-doc.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const dts = readFileSync('pkg/wix_headless_auth.d.ts', 'utf8');
const doc = readFileSync('docs/api.md', 'utf8');
const block = (start) => dts.slice(dts.indexOf(start), dts.indexOf('\n}', dts.indexOf(start)));
const missing = (names) => [...new Set(names)].filter((n) => !doc.includes(`\`${n}`) && !doc.includes(`.${n}(`));

test('every OAuthStrategy / OAuthSessions member is documented', () => {
  const members = ['export class OAuthStrategy', 'export class OAuthSessions'].flatMap((c) =>
    [...block(c).matchAll(/^ {4}(?:readonly )?([a-zA-Z]+)[(:]/gm)].map((m) => m[1]));
  assert.ok(members.length > 20, 'the class declarations were found');
  const internal = new Set(['free', 'constructor']);
  assert.deepEqual(missing(members.filter((m) => !internal.has(m))), []);
});

test('every option and error code is documented', () => {
  const options = [...block('export interface OAuthStrategyOptions').matchAll(/^\s*([a-zA-Z]+)\??:/gm)].map((m) => m[1]);
  assert.ok(options.includes('clientId'));
  const union = dts.slice(dts.indexOf('export type AuthErrorCode'), dts.indexOf(';', dts.indexOf('export type AuthErrorCode')));
  const codes = [...union.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  assert.ok(codes.includes('browser_only'));
  assert.deepEqual(missing([...options, ...codes]), []);
});
