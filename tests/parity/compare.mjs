// Field-by-field comparison of two scenario results. Values that are random by nature (tokens,
// codes, PKCE values, session and state tokens, URLs' query values) are compared by shape; times
// by how far ahead of now they are; everything else by value.

/** Keys whose string values are random by nature, compared by length (PKCE: 43 characters). */
const BY_LENGTH = new Set(['codeVerifier', 'codeChallenge', 'state']);
/** Keys whose string values are random by nature and of server-chosen length. */
const BY_TYPE = new Set(['value', 'sessionToken', 'stateToken', 'code', 'Authorization', 'requestId']);
/** Keys holding URLs whose query values are random (session ids, PKCE). */
const URLS = new Set(['authUrl', 'logoutUrl']);

/** Short values (test inputs such as `c1`) stay values: only long ones are random. */
const random = (s) => typeof s === 'string' && s.length >= 16;

function normalizeUrl(text) {
  try {
    const u = new URL(text);
    return `<url ${u.origin}${u.pathname}?${[...u.searchParams.keys()].sort().join('&')}>`;
  } catch {
    return text;
  }
}

/** `v` with random values replaced by their shape. */
export function normalize(v, key = '', now = Math.floor(Date.now() / 1000)) {
  // Our typed errors hold codes and messages, nothing random to hide (and no SDK counterpart).
  if (key === 'authError' || key === 'rejected') return v;
  if (Array.isArray(v)) return v.map((x) => normalize(x, '', now));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x, k, now)]));
  if (key === 'expiresAt' && typeof v === 'number' && Math.abs(v - now) < 86_400 * 30) return `<now+${Math.round((v - now) / 60)}min>`;
  if (URLS.has(key) && typeof v === 'string') return normalizeUrl(v);
  if (BY_LENGTH.has(key) && random(v)) return `<random ${v.length} chars>`;
  if (BY_TYPE.has(key) && random(v)) return '<random string>';
  return v;
}

/** Every leaf where `a` and `b` differ: `[{path, sdk, ours}]` (absent = `undefined`). */
export function diff(a, b, path = '') {
  const isObj = (x) => x !== null && typeof x === 'object';
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => diff(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return Object.is(a, b) ? [] : [{ path, sdk: a, ours: b }];
}

/** The differences between two runs of a scenario, after normalisation. */
export function compare(sdk, ours) {
  return diff(normalize(sdk), normalize(ours));
}

/** A one-line description of a result for the parity table. */
export function summary(result) {
  const describe = (v) => {
    if (v?.rejected) return `rejects ${v.rejected.name}${v.rejected.code ? `(${v.rejected.code})` : ''}`;
    const x = v && typeof v === 'object' && 'resolved' in v ? v.resolved : v;
    if (x?.loginState) return [x.loginState, x.errorCode, x.authError && `+authError ${x.authError.code}`].filter(Boolean).join(' ');
    if (x?.accessToken && x?.refreshToken) return `tokens(${x.refreshToken.role})`;
    return JSON.stringify(normalize(x)).replace(/<random[^>]*>/g, '…').replace(/<url ([^?>]*)[^>]*>/g, '$1');
  };
  if (result && typeof result === 'object' && !('resolved' in result) && !('rejected' in result) && !result.loginState) {
    return Object.entries(result).map(([k, v]) => `${k}: ${describe(v)}`).join('; ');
  }
  return describe(result);
}
