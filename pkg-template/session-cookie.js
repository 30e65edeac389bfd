// One session from server to browser: the tokens in the `wixSession` cookie, whose value is the
// JSON `{clientId, tokens}` that Wix's own headless Astro integration and the public Next.js
// storefronts keep (a server render and the page read the same visitor or member from it).
// `createCookieStorage` is a `{getTokens, setTokens}` storage over that cookie: in a page it reads
// and writes `document.cookie`; on a server it reads the request's cookies and writes the
// response's through the framework's cookie jar (Next.js's `cookies()`, a `NextRequest`'s or
// `NextResponse`'s `cookies`, Astro's `Astro.cookies`: each has `get(name)?.value` and
// `set(name, value, options)`, and encodes the value itself). No wasm here: plain JS, shared by
// every entry.

/** The cookie's name, as in Wix's headless templates. */
export const WIX_SESSION_COOKIE = 'wixSession';

// Browsers drop a cookie whose name, value and attributes pass 4096 bytes (RFC 6265 §6.1 asks
// them to keep at least that much); a larger one is never read back, so it is refused up front.
const MAX_COOKIE_BYTES = 4096;
const ROLES = ['none', 'visitor', 'member'];
const THIRTY_DAYS = 30 * 24 * 60 * 60;

/**
 * The tokens of a `wixSession` cookie value (already URL-decoded), or `undefined` when it is
 * missing, too large, not JSON, not of the `{clientId, tokens}` shape, or another client's: such
 * a cookie is never trusted, and the strategy replaces it with a new visitor.
 */
export function readWixSession(value, clientId) {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_COOKIE_BYTES) return undefined;
  let session;
  try {
    session = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!isObject(session) || session.clientId !== clientId || !isObject(session.tokens)) return undefined;
  const { accessToken, refreshToken } = session.tokens;
  if (!isObject(accessToken) || typeof accessToken.value !== 'string' || !Number.isFinite(accessToken.expiresAt)) return undefined;
  if (!isObject(refreshToken) || typeof refreshToken.value !== 'string' || !ROLES.includes(refreshToken.role)) return undefined;
  // A copy of the known fields only: nothing else a cookie carries reaches the strategy.
  return {
    accessToken: { value: accessToken.value, expiresAt: accessToken.expiresAt },
    refreshToken: { value: refreshToken.value, role: refreshToken.role },
  };
}

/** The `wixSession` value (JSON, not yet URL-encoded) for `tokens`. */
export function wixSessionValue(clientId, tokens) {
  return JSON.stringify({ clientId, tokens });
}

/**
 * A token storage in the `wixSession` cookie, for `OAuthStrategy({ clientId, storage })`.
 * In a page, leave `cookies` out (it uses `document.cookie`). On a server, pass the request's
 * cookie jar as `cookies`, and the response's as `responseCookies` where they differ (a Next.js
 * proxy). A write the jar refuses (a Next.js server component's read-only `cookies()`) is kept
 * for this request only; the proxy or a route handler persists the session.
 */
export function createCookieStorage(options) {
  const { clientId, cookies, responseCookies = cookies, name = WIX_SESSION_COOKIE } = options ?? {};
  if (typeof clientId !== 'string' || clientId === '') throw new TypeError('createCookieStorage: clientId must be a non-empty string');
  const { storageKey = `wix-headless-auth:${clientId}` } = options;
  const attributes = cookieAttributes(options);
  const jar = cookies ? serverJar(cookies, responseCookies, name) : browserJar(name, `${storageKey}:tokens`);
  // On a server, what this request wrote wins over what it brought (the jar reads the request's
  // cookies); without a document too (a client component rendered on the server), or every call
  // would mint anew. A page reads document.cookie every time: another tab or a server response
  // may have changed it.
  const remember = Boolean(cookies) || typeof document === 'undefined';
  let written;
  return {
    getTokens() {
      return remember && written !== undefined ? (written ?? undefined) : readWixSession(jar.read(), clientId);
    },
    setTokens(tokens) {
      const signedOut = !tokens?.refreshToken?.value;
      const value = signedOut ? '' : wixSessionValue(clientId, tokens);
      // Checked before writing: an oversized cookie would be dropped by the browser unseen.
      if (`${name}=${encodeURIComponent(value)}`.length > MAX_COOKIE_BYTES - 100) {
        throw new RangeError(`the ${name} cookie would pass 4 KB; keep the tokens in a server-side session instead`);
      }
      written = signedOut ? null : readWixSession(value, clientId);
      jar.write(value, signedOut ? { ...attributes, maxAge: 0 } : attributes);
    },
  };
}

// SameSite=Lax: the cookie goes with top-level navigations to the shop (the return from Wix's
// hosted login) but not with other sites' subrequests. Secure: only over HTTPS (browsers treat
// http://localhost and 127.0.0.1 as secure, so development works). Not HttpOnly: the page's
// strategy must read it. Path=/: every route shares one session.
function cookieAttributes({ secure = true, maxAge = THIRTY_DAYS, path = '/' }) {
  return { path, sameSite: 'lax', secure, httpOnly: false, maxAge };
}

function serverJar(requestJar, responseJar, name) {
  return {
    read() {
      const cookie = requestJar.get(name);
      return typeof cookie === 'string' ? cookie : cookie?.value;
    },
    write(value, attributes) {
      try {
        responseJar.set(name, value, attributes);
      } catch {
        // Read-only here (a Next.js server component); this request still sees `written`.
      }
    },
  };
}

function browserJar(name, channelName) {
  // Without a document there is no cookie to read or write (see `remember`).
  const hasDocument = typeof document !== 'undefined';
  if (hasDocument) announceChanges(name, channelName);
  return {
    read() {
      if (!hasDocument) return undefined;
      const raw = rawCookie(name);
      return raw === undefined ? undefined : decode(raw);
    },
    write(value, { path, sameSite, secure, maxAge }) {
      if (!hasDocument) return;
      document.cookie = `${name}=${encodeURIComponent(value)}; Path=${path}; Max-Age=${maxAge}; SameSite=${sameSite}${secure ? '; Secure' : ''}`;
    },
  };
}

/** The cookie's value as `document.cookie` shows it (still URL-encoded), or `undefined`. */
function rawCookie(name) {
  for (const pair of document.cookie.split(';')) {
    const at = pair.indexOf('=');
    if (at >= 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** How often, and how long at most, a tab waits for its `document.cookie` to show a change. */
const VISIBLE_POLL_MS = 10;
const VISIBLE_WAIT_MS = 2000;

// The strategy tells the other tabs when it changes the tokens, on the BroadcastChannel
// `<storageKey>:tokens`, and they read storage again. A cookie written in one tab reaches the
// other tabs' `document.cookie` asynchronously in Chromium, so that read can come too early and see
// the old cookie, and the news is lost. So every tab also repeats the news (the message says only
// "tokens", as the strategy's does) when its Cookie Store API `change` event reports the cookie,
// which also carries a change a server made (a Set-Cookie that signs out) to every open tab; the
// strategy of the same tab hears it too (another channel object of the same name). The event can
// come before `document.cookie` shows the change: in Chromium, with a server's deletion, 14 of 60
// tabs still read the old cookie in the event's own handler. So the news goes out once this
// tab's `document.cookie` shows what the event reported (polled; after VISIBLE_WAIT_MS it goes
// out anyway: a newer change may have replaced it). Browsers without the API keep the strategy's
// own news and its read of storage before every call.
function announceChanges(name, channelName) {
  const { cookieStore, BroadcastChannel } = globalThis;
  if (!cookieStore?.addEventListener || !BroadcastChannel) return;
  const channel = new BroadcastChannel(channelName);
  cookieStore.addEventListener('change', ({ changed = [], deleted = [] }) => {
    const set = changed.find((cookie) => cookie?.name === name);
    if (!set && !deleted.some((cookie) => cookie?.name === name)) return;
    const expected = set ? String(set.value) : undefined;
    const deadline = Date.now() + VISIBLE_WAIT_MS;
    const announce = () => {
      if (rawCookie(name) === expected || Date.now() >= deadline) channel.postMessage('tokens');
      else setTimeout(announce, VISIBLE_POLL_MS);
    };
    announce();
  });
}

function decode(value) {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
