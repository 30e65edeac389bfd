// The parity scenarios, run in the browser page: each one is written once, against `@wix/sdk`'s
// API, and run twice — with the real `@wix/sdk` 1.21.16 and with our package — on fresh
// strategies against the same emulator. A scenario returns plain data (what the calls resolved
// or rejected with); tests/parity/compare.mjs compares the two runs field by field.
//
// `t` is the toolbox of one run: `t.auth()` makes a strategy of this implementation, `t.lib` is
// the implementation's module (`@wix/sdk` or ours), `t.node(op, arg)` asks the Node side
// (outbox, owner approval, faults, members/my), `t.email(tag)` is an address unique to the run.

/** `{resolved}` or `{rejected}` of a promise (or of a call that may throw). */
export async function settle(fn) {
  try {
    const value = await fn();
    return { resolved: value === undefined ? '<undefined>' : value };
  } catch (e) {
    return { rejected: { name: e?.name, message: String(e?.message ?? e), code: e?.code } };
  }
}

/** Loads `url` in a hidden frame and resolves with the same-origin URL it is redirected to. */
function landing(url) {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    frame.style.display = 'none';
    const timer = setTimeout(() => { frame.remove(); reject(new Error('the hosted page did not return')); }, 10_000);
    frame.onload = () => {
      let href;
      try { href = frame.contentWindow.location.href; } catch { return; } // still on the auth host
      if (href === 'about:blank') return;
      clearTimeout(timer);
      frame.remove();
      resolve(href);
    };
    frame.src = url;
    document.body.appendChild(frame);
  });
}

const PASSWORD = 'Parity-pass-1';

/** A member that exists, with its password (registered through the strategy itself) and its
 *  id (from the register reply the page's fetch log kept: neither client returns it). */
async function member(t, tag) {
  const auth = t.auth();
  const email = t.email(tag);
  const r = await auth.register({ email, password: PASSWORD });
  if (r.loginState !== 'SUCCESS') throw new Error(`setup: register → ${JSON.stringify(r)}`);
  return { email, id: t.lastReply('/register').identity.id };
}

/** A member's tokens through the hosted page (prompt none, the login's session token). */
async function hostedLogin(t, auth, responseMode = 'fragment') {
  const { email } = await member(t, 'hosted');
  const login = await auth.login({ email, password: PASSWORD });
  const data = auth.generateOAuthData(t.redirectUri, t.redirectUri);
  const { authUrl } = await auth.getAuthUrl(data, { prompt: 'none', responseMode, sessionToken: login.data.sessionToken });
  const back = await landing(authUrl);
  return { data, back, parsed: auth.parseFromUrl(back, responseMode) };
}

/** `login` or `register` whose next request the emulator fails with `status` (its faults). */
async function faulted(t, call, status) {
  const auth = t.auth();
  await auth.getAuthHeaders();
  await t.node('fault', { endpoint: call, count: 1, status });
  return settle(() => auth[call]({ email: t.email('fault'), password: PASSWORD }));
}

export const scenarios = {
  async exports(t) {
    const lib = t.lib;
    const storage = lib.createLocalTokenStorage?.(lib.EMPTY_TOKENS);
    const auth = t.auth();
    return {
      OAuthStrategy: typeof lib.OAuthStrategy,
      TokenRole: lib.TokenRole && { ...lib.TokenRole },
      LoginState: lib.LoginState && { ...lib.LoginState },
      EMPTY_TOKENS: lib.EMPTY_TOKENS,
      createLocalTokenStorage: storage && {
        initial: storage.getTokens(),
        afterSet: (storage.setTokens({ accessToken: { value: 'a', expiresAt: 1 }, refreshToken: { value: 'r', role: 'visitor' } }), storage.getTokens()),
      },
      // Own members and, for a class instance (ours), its prototype's; not Object.prototype's.
      strategyMembers: Object.fromEntries(
        [...new Set([...Object.keys(auth), ...(Object.getPrototypeOf(auth) === Object.prototype ? [] : Object.getOwnPropertyNames(Object.getPrototypeOf(auth)))])]
          .filter((k) => k !== 'constructor' && k !== '__wbg_ptr')
          .map((k) => [k, typeof auth[k]]),
      ),
      sessions: Object.fromEntries(['isSessionSynced', 'syncToWixPages'].map((k) => [k, typeof auth.sessions[k]])),
      captcha: [auth.captchaVisibleSiteKey, auth.captchaInvisibleSiteKey],
      shouldUseCDN: auth.shouldUseCDN,
    };
  },

  async 'visitor tokens'(t) {
    const auth = t.auth();
    const initial = auth.getTokens();
    const generated = await settle(() => auth.generateVisitorTokens());
    const stored = auth.getTokens();
    const headers = await settle(() => auth.getAuthHeaders());
    const active = auth.getActiveToken();
    return { initial, generated, storedAfterGenerate: stored, headers, activeIsHeader: active === headers.resolved?.headers?.Authorization, loggedIn: auth.loggedIn() };
  },

  async 'generateVisitorTokens with valid tokens'(t) {
    const auth = t.auth();
    const tokens = await auth.generateVisitorTokens();
    const again = await auth.generateVisitorTokens(tokens);
    return { same: JSON.stringify(again) === JSON.stringify(tokens) };
  },

  async renewToken(t) {
    const auth = t.auth();
    const tokens = await auth.generateVisitorTokens();
    const renewed = await settle(() => auth.renewToken(tokens.refreshToken));
    return { renewed, keepsRefreshToken: renewed.resolved?.refreshToken?.value === tokens.refreshToken.value };
  },

  async 'renewToken refused'(t) {
    const auth = t.auth();
    return settle(() => auth.renewToken({ value: 'not-a-refresh-token', role: 'visitor' }));
  },

  async generateOAuthData(t) {
    const auth = t.auth();
    return {
      withOriginal: auth.generateOAuthData(t.redirectUri, 'http://x.test/original'),
      withoutOriginal: auth.generateOAuthData(t.redirectUri),
    };
  },

  async 'getAuthUrl fragment'(t) {
    const auth = t.auth();
    return settle(() => auth.getAuthUrl(auth.generateOAuthData(t.redirectUri)));
  },
  async 'getAuthUrl query'(t) {
    const auth = t.auth();
    return settle(() => auth.getAuthUrl(auth.generateOAuthData(t.redirectUri), { responseMode: 'query' }));
  },
  async 'getAuthUrl web_message, prompt none'(t) {
    const auth = t.auth();
    return settle(() => auth.getAuthUrl(auth.generateOAuthData(t.redirectUri), { responseMode: 'web_message', prompt: 'none' }));
  },
  async 'getAuthUrl idp google'(t) {
    const auth = t.auth();
    return settle(() => auth.getAuthUrl(auth.generateOAuthData(t.redirectUri), { idp: 'google' }));
  },
  async 'getAuthUrl idp {connectionId}'(t) {
    const auth = t.auth();
    return settle(() => auth.getAuthUrl(auth.generateOAuthData(t.redirectUri), { idp: { connectionId: '3ecad13f-52c3-483d-911f-31dbcf2a6d23' } }));
  },
  async 'getAuthUrl without oauthData'(t) {
    const auth = t.auth();
    return settle(() => auth.getAuthUrl());
  },

  async 'parseFromUrl'(t) {
    const auth = t.auth();
    const cb = t.redirectUri;
    return {
      fragment: auth.parseFromUrl(`${cb}#code=c1&state=s1`),
      query: auth.parseFromUrl(`${cb}?code=c2&state=s2`, 'query'),
      error: auth.parseFromUrl(`${cb}#error=access_denied&error_description=no+way&state=s3`),
      errorWithoutDescription: auth.parseFromUrl(`${cb}#error=login_required&state=s4`),
      queryError: auth.parseFromUrl(`${cb}?error=server_error&state=s5`, 'query'),
      empty: auth.parseFromUrl(cb),
      emptyQuery: auth.parseFromUrl(`${cb}#code=x`, 'query'),
      pageUrl: (history.replaceState(null, '', '#code=here&state=now'), auth.parseFromUrl()),
      garbage: await settle(() => auth.parseFromUrl('not a url')),
    };
  },

  async 'getMemberTokens (hosted login, fragment)'(t) {
    const auth = t.auth();
    const { data, parsed } = await hostedLogin(t, auth);
    const tokens = await settle(() => auth.getMemberTokens(parsed.code, parsed.state, data));
    return { parsed, tokens, storedByItself: auth.loggedIn() };
  },
  async 'getMemberTokens (hosted login, query)'(t) {
    const auth = t.auth();
    const { data, parsed } = await hostedLogin(t, auth, 'query');
    return { parsed, tokens: await settle(() => auth.getMemberTokens(parsed.code, parsed.state, data)) };
  },
  async 'getMemberTokens refusals'(t) {
    const auth = t.auth();
    const data = auth.generateOAuthData(t.redirectUri);
    return {
      missingCode: await settle(() => auth.getMemberTokens(null, data.state, data)),
      otherState: await settle(() => auth.getMemberTokens('code', 'another-state', data)),
      unknownCode: await settle(() => auth.getMemberTokens('no-such-code', data.state, data)),
    };
  },

  async 'login success'(t) {
    const { email } = await member(t, 'login');
    return settle(() => t.auth().login({ email, password: PASSWORD }));
  },
  async 'login wrong password'(t) {
    const { email } = await member(t, 'wrongpw');
    return settle(() => t.auth().login({ email, password: 'Wrong-pass-2' }));
  },
  async 'login unknown email'(t) {
    return settle(() => t.auth().login({ email: t.email('nobody'), password: PASSWORD }));
  },
  async 'login invalid email'(t) {
    return settle(() => t.auth().login({ email: 'not-an-email', password: PASSWORD }));
  },
  'login 500 (fault)': (t) => faulted(t, 'login', 500),
  'login 503 (fault)': (t) => faulted(t, 'login', 503),

  'login 429 (fault)': (t) => faulted(t, 'login', 429),
  'login 403 (fault)': (t) => faulted(t, 'login', 403),

  async 'register success'(t) {
    const result = await settle(() => t.auth().register({
      email: t.email('reg'),
      password: PASSWORD,
      profile: {
        firstName: 'Ada', lastName: 'Lovelace', nickname: 'ada', company: 'Engines', position: 'Analyst',
        birthdate: '1815-12-10', vatId: 'GB1', subscription: true, labels: ['custom.vip'],
        secondaryEmails: [{ email: 'ada@engines.test', tag: 'WORK' }],
        phonesV2: [{ countryCode: 'GB', phone: '+44 20 0000', tag: 'MOBILE' }],
        addresses: [{ tag: 'HOME', address: { addressLine1: '12 St James', city: 'London', country: 'GB', formatted: '12 St James, London', postalCode: 'SW1' } }],
      },
    }));
    // What went on the wire: the SDK renames the address fields for the REST API.
    return { result, sentProfile: t.lastSent('/register').body.profile };
  },
  async 'register existing email'(t) {
    const { email } = await member(t, 'dup');
    return settle(() => t.auth().register({ email, password: PASSWORD }));
  },
  async 'register invalid email'(t) {
    return settle(() => t.auth().register({ email: 'not-an-email', password: PASSWORD }));
  },
  'register 500 (fault)': (t) => faulted(t, 'register', 500),

  async 'email verification'(t) {
    const auth = t.auth();
    const email = t.email('verify');
    const registered = await settle(() => auth.register({ email, password: PASSWORD }));
    const code = await t.node('verificationCode', email);
    const wrong = await settle(() => auth.processVerification({ verificationCode: code === '000000' ? '111111' : '000000' }));
    const verified = await settle(() => auth.processVerification({ verificationCode: code }));
    return { registered, wrong, verified };
  },
  async 'email verification with the state argument'(t) {
    const first = t.auth();
    const email = t.email('verify-state');
    const registered = await first.register({ email, password: PASSWORD });
    const code = await t.node('verificationCode', email);
    // Another strategy (another page): the state comes from the caller.
    const verified = await settle(() => t.auth().processVerification({ code }, registered));
    return { registered, verified };
  },
  async 'processVerification with nothing pending'(t) {
    const auth = t.auth();
    return {
      none: await settle(() => auth.processVerification({ verificationCode: '123456' })),
      notVerifying: await settle(() => auth.processVerification({ verificationCode: '123456' }, { loginState: 'SUCCESS', data: { sessionToken: 'x' } })),
    };
  },

  async 'owner approval'(t) {
    const auth = t.auth();
    const email = t.email('approval');
    const registered = await settle(() => auth.register({ email, password: PASSWORD }));
    const id = t.lastReply('/register').identity.id;
    const beforeApproval = await settle(() => auth.login({ email, password: PASSWORD }));
    await t.node('approve', id);
    const afterApproval = await settle(() => auth.login({ email, password: PASSWORD }));
    return { registered, beforeApproval, afterApproval };
  },

  async 'direct login'(t) {
    const { email } = await member(t, 'direct');
    const auth = t.auth();
    const login = await auth.login({ email, password: PASSWORD });
    const tokens = await settle(() => auth.getMemberTokensForDirectLogin(login.data.sessionToken));
    return { tokens, storedByItself: auth.loggedIn(), member: await t.node('isMember', { token: tokens.resolved?.accessToken?.value, email }) };
  },

  async 'external login'(t) {
    const { email, id } = await member(t, 'external');
    const auth = t.auth();
    await auth.getAuthHeaders();
    const tokens = await settle(() => auth.getMemberTokensForExternalLogin(id, t.apiKey));
    return { tokens, storedByItself: auth.loggedIn(), member: await t.node('isMember', { token: tokens.resolved?.accessToken?.value, email }) };
  },
  async 'external login wrong API key'(t) {
    const { id } = await member(t, 'external-bad');
    const auth = t.auth();
    await auth.getAuthHeaders();
    return settle(() => auth.getMemberTokensForExternalLogin(id, 'not-the-key'));
  },
  async 'external login with session'(t) {
    const email = t.email('signon');
    const auth = t.auth();
    const tokens = await settle(() => auth.getMemberTokensForExternalLoginWithSession(email, t.apiKey));
    return { tokens, storedByItself: auth.loggedIn(), member: await t.node('isMember', { token: tokens.resolved?.accessToken?.value, email }) };
  },

  async logout(t) {
    const auth = t.auth();
    await auth.getAuthHeaders();
    const out = await settle(() => auth.logout(t.redirectUri));
    return { out, tokensAfter: auth.getTokens(), loggedIn: auth.loggedIn() };
  },

  async sendPasswordResetEmail(t) {
    const { email } = await member(t, 'reset');
    const auth = t.auth();
    const sent = await settle(() => auth.sendPasswordResetEmail(email, t.redirectUri));
    return { sent, mailed: await t.node('mailKinds', email) };
  },

  async 'getTokens / setTokens / loggedIn'(t) {
    const auth = t.auth();
    const member = { accessToken: { value: 'acc', expiresAt: 4102444800 }, refreshToken: { value: 'ref', role: 'member' } };
    auth.setTokens(member);
    const got = auth.getTokens();
    const loggedIn = auth.loggedIn();
    const visitor = { accessToken: { value: 'acc2', expiresAt: 4102444800 }, refreshToken: { value: 'ref2', role: 'visitor' } };
    auth.setTokens(visitor);
    return { got, loggedIn, loggedInAsVisitor: auth.loggedIn(), active: auth.getActiveToken(), headers: await auth.getAuthHeaders() };
  },

  async 'tokens and tokenStorage options'(t) {
    const given = { accessToken: { value: 'given', expiresAt: 4102444800 }, refreshToken: { value: 'given-r', role: 'member' } };
    const withTokens = t.auth({ tokens: given });
    const storage = t.lib.createLocalTokenStorage(given);
    const withStorage = t.auth({ tokenStorage: storage });
    return { withTokens: withTokens.getTokens(), withStorage: withStorage.getTokens(), loggedIn: withStorage.loggedIn() };
  },

  async 'tokenRequestOptions headers'(t) {
    const auth = t.auth({ tokenRequestOptions: { headers: { 'client-binding': 'binding-1' } } });
    await auth.getAuthHeaders();
    return { sent: t.lastSent('/oauth2/token').headers['client-binding'] ?? null };
  },

  async 'sessions.isSessionSynced'(t) {
    localStorage.removeItem('wixRedirectSessionLastPreWarm');
    return t.auth().sessions.isSessionSynced();
  },
  async 'sessions.syncToWixPages'(t) {
    // Both clients keep the pre-warm time under the same localStorage key; start without it.
    localStorage.removeItem('wixRedirectSessionLastPreWarm');
    const auth = t.auth();
    // @wix/sdk catches a failed pre-warm and only logs it: keep what it logs.
    const logged = [];
    const consoleError = console.error;
    console.error = (...args) => logged.push(args.map((a) => String(a?.message ?? a)).join(' '));
    const synced = await settle(() => auth.sessions.syncToWixPages({ force: true })).finally(() => { console.error = consoleError; });
    return {
      synced,
      logged: logged[0],
      isSessionSynced: auth.sessions.isSessionSynced(),
      stored: /^\d+$/.test(localStorage.getItem('wixRedirectSessionLastPreWarm') ?? ''),
    };
  },
};
