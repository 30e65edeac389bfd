// Headless Debian Chromium through playwright-core, with the flags of docs/toolchain.md (trap 8). Playwright
// gives every launch a fresh temporary profile of its own (it refuses --user-data-dir here).
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function chromiumPath() {
  return process.env.CHROMIUM || execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

export async function launch() {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
  return { browser, version: browser.version(), stop: () => browser.close() };
}

/**
 * A page in a fresh context, with Chromium's network emulation when `latency` (ms) is given: that
 * latency on every request and 9 Mbit/s down, 1.5 Mbit/s up (a shopper's network to a CDN, which
 * this machine does not have). The caller closes the context.
 */
export async function freshPage(browser, latency = 0) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (latency) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: 9e6 / 8, uploadThroughput: 1.5e6 / 8 });
  }
  return { context, page };
}
