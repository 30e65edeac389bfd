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
