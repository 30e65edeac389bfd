// Server rendering needs an adapter (Astro's own requirement, not this package's): nothing here
// is about wix-headless-auth.
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  server: { host: '127.0.0.1' },
});
