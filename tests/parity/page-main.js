// The parity page: loads the real @wix/sdk (an esbuild bundle of its package entry) and our
// package side by side, and runs a scenario with either on request (`window.runScenario`).
//
// The only stand-in is the network route of @wix/sdk, as in tests/conformance: it calls the
// fixed host www.wixapis.com, so a `fetch` wrapper sends requests for *.wixapis.com to the
// emulator under test. Ours is pointed there with `baseUrl`. The wrapper also keeps every
// request's headers and reply of the run, so that a scenario can read what neither client
// returns (a new member's id, the headers it sent).
import * as sdk from '/sdk.js';
import * as ours from '/pkg/index.js';
import { scenarios } from '/scenarios.page.js';

const realFetch = window.fetch.bind(window);
let route = '';
let replies = [];

window.fetch = async function routedFetch(input, init) {
  const req = new Request(input, init);
  const url = new URL(req.url);
  const target = /(^|\.)wixapis\.com$/.test(url.hostname) ? new URL(url.pathname + url.search, route).href : req.url;
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.clone().text();
  const res = await realFetch(target, { method: req.method, headers: req.headers, body, signal: req.signal, redirect: req.redirect });
  const text = await res.clone().text().catch(() => '');
  let json;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  let sent;
  try { sent = body && JSON.parse(body); } catch { /* not JSON */ }
  replies.push({ path: url.pathname, status: res.status, json, headers: Object.fromEntries(req.headers), body: sent });
  return res;
};

const CLIENT_ID = '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a';
let runs = 0;

/** The last exchange with …`pathEnd` in this run. */
function last(pathEnd) {
  const r = [...replies].reverse().find((x) => x.path.endsWith(pathEnd));
  if (!r) throw new Error(`no request to …${pathEnd} in this run`);
  return r;
}

window.runScenario = async function runScenario(name, impl, emulatorUrl, apiKey) {
  runs += 1;
  route = emulatorUrl;
  replies = [];
  const lib = impl === 'sdk' ? sdk : ours;
  let made = 0;
  const t = {
    lib,
    apiKey,
    redirectUri: `${location.origin}/callback`,
    auth(options = {}) {
      made += 1;
      return impl === 'sdk'
        ? sdk.OAuthStrategy({ clientId: CLIENT_ID, ...options })
        // Its own storage key per strategy: every @wix/sdk strategy starts empty, too.
        : ours.OAuthStrategy({ clientId: CLIENT_ID, baseUrl: emulatorUrl, storageKey: `parity:${runs}:${made}`, ...options });
    },
    email: (tag) => `${tag}-${impl}-${runs}-${Date.now()}@parity.test`,
    node: (op, arg) => window.parityNode(op, arg ?? null),
    lastReply: (pathEnd) => last(pathEnd).json,
    /** The last request sent to …`pathEnd` in this run (`{headers, body}`, names in lower case). */
    lastSent: (pathEnd) => last(pathEnd),
  };
  // Plain data only, `undefined` fields dropped (the comparison treats absent and undefined alike).
  const result = await scenarios[name](t);
  return JSON.parse(JSON.stringify(result === undefined ? '<undefined>' : result));
};
window.scenarioNames = Object.keys(scenarios);
window.parityReady = true;
