// An API route: GET answers who the request's session is; POST signs it out on the server.
import { memberEmail, wixAuth } from '../../wix.js';
import { fingerprint } from '../../fingerprint.js';

export async function GET({ cookies }) {
  const auth = wixAuth(cookies);
  const { headers } = await auth.getAuthHeaders();
  const { role, value } = auth.getTokens().refreshToken;
  return Response.json({ role, visitor: await fingerprint(value), email: await memberEmail(auth), header: headers.Authorization.length > 10 });
}

export async function POST({ cookies, url }) {
  const auth = wixAuth(cookies);
  await auth.logout(new URL('/', url).href);
  return Response.json({ loggedIn: auth.loggedIn() });
}
