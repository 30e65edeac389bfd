// The app's one place for the Wix client on the server: a strategy per request over the request's
// `wixSession` cookie, as docs/frameworks/nextjs.md shows. The emulator's URL comes from the
// environment at run time (EMULATOR_URL), so one build serves any emulator.
import { OAuthStrategy } from 'wix-headless-auth';
import { createCookieStorage } from 'wix-headless-auth/cookie';

export const clientId = '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a';
export const baseUrl = () => process.env.EMULATOR_URL;

/** A strategy over `cookies` (and writing to `responseCookies`, in the proxy). */
export function wixAuth(cookies, responseCookies) {
  return OAuthStrategy({ clientId, baseUrl: baseUrl(), storage: createCookieStorage({ clientId, cookies, responseCookies }) });
}

/** Who members/my says the strategy's member is (undefined for a visitor). */
export async function memberEmail(auth) {
  const reply = await fetch(`${baseUrl()}/members/v1/members/my?fieldsets=FULL`, await auth.getAuthHeaders());
  return reply.ok ? (await reply.json()).member.loginEmail : undefined;
}
