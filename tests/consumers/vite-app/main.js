// A browser app as a user would write it: a bare import, no init(), no plugin, no bundler config.
// The same file is the entry of the Vite, webpack, Parcel, Rollup and esbuild fixtures (Rollup's
// and esbuild's copies import 'wix-headless-auth/inline'). The test drivers call `window.app.*`.
import { OAuthStrategy } from 'wix-headless-auth';
import { pageApi } from './page-api.js';

const baseUrl = new URLSearchParams(location.search).get('emulator');
const clientId = '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a';
const auth = OAuthStrategy({ clientId, baseUrl });

window.app = pageApi(OAuthStrategy, auth, { clientId, baseUrl });
document.getElementById('status').textContent = 'ready';
