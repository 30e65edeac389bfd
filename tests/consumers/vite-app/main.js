// A Vite app as a user would write it: a bare import, no init(), no plugin, no vite config.
// The test driver (../vite.test.mjs) calls `window.app.*` and reads the results.
import { OAuthStrategy } from 'wix-headless-auth';

const baseUrl = new URLSearchParams(location.search).get('emulator');
const clientId = '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a';
const auth = OAuthStrategy({ clientId, baseUrl });

window.app = {
  /** The visitor (or member) header and who it belongs to. */
  async headers() {
    const { headers } = await auth.getAuthHeaders();
    return { authorization: headers.Authorization, role: auth.getTokens().refreshToken.role, storage: auth.storageInUse };
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
  loggedIn: () => auth.loggedIn(),
};
document.getElementById('status').textContent = 'ready';
