// A route handler: GET answers who the request's session is; POST signs it out on the server
// (the Set-Cookie that deletes wixSession reaches the browser).
import { cookies } from 'next/headers';
import { memberEmail, wixAuth } from '../../wix.js';
import { fingerprint } from '../../fingerprint.js';

export async function GET() {
  const auth = wixAuth(await cookies());
  const { headers } = await auth.getAuthHeaders();
  const { role, value } = auth.getTokens().refreshToken;
  return Response.json({ role, visitor: await fingerprint(value), email: await memberEmail(auth), header: headers.Authorization.length > 10 });
}

export async function POST(request) {
  const auth = wixAuth(await cookies());
  const { logoutUrl } = await auth.logout(new URL('/', request.url).href);
  return Response.json({ loggedIn: auth.loggedIn(), logoutUrl: typeof logoutUrl === 'string' });
}
