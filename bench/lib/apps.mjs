// Installs the packed package (pkg/) with some npm packages into a work folder, as an app of the
// exploratory probes (preload.mjs, vite-app.mjs) gets it. The packages come from npm's cache,
// target/consumers/npm-cache (the consumer suite fills it; npm_config_cache names another).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './sizes.mjs';

/** `npm pack` of pkg/ into `work`, then one `npm install` there of that tarball and `packages`. */
export function installPacked(work, packages) {
  writeFileSync(join(work, 'package.json'), '{"name":"bench-apps","private":true,"type":"module"}');
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: join(ROOT, 'pkg'), encoding: 'utf8' }).trim().split('\n').pop();
  const env = { ...process.env, npm_config_cache: process.env.npm_config_cache ?? join(ROOT, 'target/consumers/npm-cache') };
  try {
    execFileSync('npm', ['install', '--prefer-offline', '--silent', '--no-audit', '--no-fund', join(work, tarball), ...packages], { cwd: work, env, stdio: 'pipe' });
  } catch (e) {
    throw new Error(`npm could not install ${packages} (cache ${env.npm_config_cache}): run the consumer suite once (scripts/test.d/70-consumers.sh)\n${e.stderr}`);
  }
}
