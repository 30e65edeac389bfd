// What every browser fixture exposes as `window.app` for the test drivers (vite.test.mjs,
// bundlers.test.mjs, next.test.mjs, astro.test.mjs): the calls a storefront makes, and who the
// tokens belong to. `OAuthStrategy` is whatever the app imported (the default entry or /inline),
// so the same flows run against every bundler's output.
import { fingerprint } from './fingerprint.js';

export function pageApi(OAuthStrategy, auth, { clientId, baseUrl }) {
  // Why sessions ended here, as this tab heard it (another tab's sign-out included).
  const ended = [];
  auth.onSessionEnded((reason) => ended.push(reason));
  return {
    ended: () => ended,
    /** The visitor (or member) header and who it belongs to. */
    async headers() {
      const { headers } = await auth.getAuthHeaders();
      const { role, value } = auth.getTokens().refreshToken;
      return { authorization: headers.Authorization, role, storage: auth.storageInUse, visitor: await fingerprint(value) };
    },
    /** A new member through the custom form's calls (another strategy, so this one stays a visitor). */
    async register(email, password) {
      return (await OAuthStrategy({ clientId, baseUrl, storage: 'memory' }).register({ email, password })).loginState;
    },
    /** The custom login form plus direct login (Wix's hidden frame). */
    async signIn(email, password) {
      const state = await auth.login({ email, password });
      if (state.loginState !== 'SUCCESS') return { loginState: state.loginState };
      const tokens = await auth.getMemberTokensForDirectLogin(state.data.sessionToken);
      return { loginState: state.loginState, role: tokens.refreshToken.role, loggedIn: auth.loggedIn() };
    },
    /** Who members/my says we are. */
    async me() {
      const reply = await fetch(`${baseUrl}/members/v1/members/my?fieldsets=FULL`, await auth.getAuthHeaders());
      return { status: reply.status, email: reply.ok ? (await reply.json()).member.loginEmail : undefined };
    },
    /** Signs out here (the tokens are cleared at once; the logout URL is not followed). */
    async signOut() {
      await auth.logout(location.href);
      return auth.loggedIn();
    },
    loggedIn: () => auth.loggedIn(),
  };
}
