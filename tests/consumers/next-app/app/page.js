// A server component: the visitor (or member) of this request, from the wixSession cookie.
import { cookies } from 'next/headers';
import { baseUrl, clientId, memberEmail, wixAuth } from './wix.js';
import { fingerprint } from './fingerprint.js';
import ClientProbe from './client-probe.js';

export default async function Page() {
  const auth = wixAuth(await cookies());
  const { headers } = await auth.getAuthHeaders();
  const { role, value } = auth.getTokens().refreshToken;
  return (
    <main>
      <p id="server" data-role={role} data-visitor={await fingerprint(value)} data-email={await memberEmail(auth) ?? ''}
        data-header={headers.Authorization.length > 10 ? 'yes' : 'no'}>server render</p>
      <ClientProbe clientId={clientId} baseUrl={baseUrl()} />
    </main>
  );
}
