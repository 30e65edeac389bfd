// A server component: the visitor (or member) of this request, from the wixSession cookie.
import { cookies } from 'next/headers';
import { preload } from 'react-dom';
import { compileScript } from 'wix-headless-auth/preload';
import { baseUrl, clientId, memberEmail, wixAuth } from './wix.js';
import { fingerprint } from './fingerprint.js';
import ClientProbe from './client-probe.js';

// The .wasm the client component's bundle fetches, at the URL Next's bundler (Turbopack or
// webpack) gave it: preloaded with the HTML, and compiled by an inline script that comes before
// the client component's code runs (docs/frameworks/nextjs.md).
const wasm = new URL('wix-headless-auth/wix_headless_auth_bg.wasm', import.meta.url);

export default async function Page() {
  preload(wasm.href, { as: 'fetch', crossOrigin: 'anonymous', type: 'application/wasm' });
  const auth = wixAuth(await cookies());
  const { headers } = await auth.getAuthHeaders();
  const { role, value } = auth.getTokens().refreshToken;
  return (
    <main>
      <script dangerouslySetInnerHTML={{ __html: compileScript(wasm.href) }} />
      <p id="server" data-role={role} data-visitor={await fingerprint(value)} data-email={await memberEmail(auth) ?? ''}
        data-header={headers.Authorization.length > 10 ? 'yes' : 'no'}>server render</p>
      <ClientProbe clientId={clientId} baseUrl={baseUrl()} />
    </main>
  );
}
