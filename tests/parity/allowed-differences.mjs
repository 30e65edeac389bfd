// The deliberate differences from @wix/sdk 1.21.16, as the parity suite sees them. Each entry
// names the scenarios and result fields it covers, says exactly which values it accepts (a rule
// never accepts "anything"), whether ours is `better` (the SDK's behaviour is a defect there) or
// an `extra` (a field or member the SDK lacks, which SDK code never reads), and the phrase of
// docs/migrating-from-wix-sdk.md that describes it (checked). A difference no entry accepts fails
// the suite, and so does an entry that no scenario needs any more.

const isAuthErrorCode = (v) => typeof v === 'string' && /^[a-z_]+$|^[a-z]+[A-Z][A-Za-z]+$/.test(v);
const isStr = (v) => typeof v === 'string';

export const ALLOWED = [
  {
    id: 'rejections-are-auth-errors',
    kind: 'better',
    scenario: /./,
    path: /(^|\.)rejected\.(name|message|code)$/,
    // Both rejected (a diff below `rejected` exists only then); ours with our name and a code.
    match: (d) => (d.path.endsWith('.name') ? d.ours === 'AuthError' && isStr(d.sdk)
      : d.path.endsWith('.code') ? d.sdk === undefined && isAuthErrorCode(d.ours)
        : isStr(d.sdk) && isStr(d.ours) && d.ours.length > 0),
    doc: 'Every rejection is an `AuthError`',
  },
  {
    id: 'failure-error-is-the-message',
    kind: 'better',
    scenario: /^(login|register|owner approval|email verification)/,
    path: /(^|\.)error$/,
    // The SDK's `error` is its error object as pretty JSON; its `message` is what we give.
    match: (d) => {
      try { return JSON.parse(d.sdk).message === d.ours; } catch { return false; }
    },
    doc: '`error` is the server\'s message',
  },
  {
    id: 'failure-has-auth-error',
    kind: 'extra',
    scenario: /^(login|register|processVerification|owner approval|email verification)/,
    path: /(^|\.)authError$/,
    match: (d) => d.sdk === undefined && isAuthErrorCode(d.ours?.code) && typeof d.ours?.status === 'number' && isStr(d.ours?.message),
    doc: '`authError`',
  },
  {
    id: 'outage-is-not-invalid-email',
    kind: 'better',
    scenario: /^(login|register) (50\d|429|403) \(fault\)$/,
    path: /(^|\.)errorCode$/,
    match: (d) => d.sdk === 'invalidEmail' && d.ours === undefined,
    doc: 'not `invalidEmail`',
  },
  {
    id: 'flows-store-their-tokens',
    kind: 'better',
    scenario: /^(direct login|external login|external login with session|getMemberTokens \(hosted login, fragment\))$/,
    path: /^storedByItself$/,
    match: (d) => d.sdk === false && d.ours === true,
    doc: 'stores the tokens of every flow',
  },
  {
    id: 'generated-visitor-tokens-are-stored',
    kind: 'better',
    scenario: /^visitor tokens$/,
    path: /^storedAfterGenerate\./,
    // The SDK's strategy still holds nothing (EMPTY_TOKENS); ours holds the visitor it made.
    match: (d) => ({ 'accessToken.value': '', 'accessToken.expiresAt': 0, 'refreshToken.value': '', 'refreshToken.role': 'none' })[d.path.slice('storedAfterGenerate.'.length)] === d.sdk && d.ours !== undefined,
    doc: '`generateVisitorTokens()` stores',
  },
  {
    id: 'prewarm-without-a-client-context',
    kind: 'better',
    scenario: /^sessions\.syncToWixPages$/,
    path: /^(logged|isSessionSynced|stored)$/,
    // The SDK's pre-warm calls the `@wix/redirects` module's global client, which a strategy
    // outside a createClient context lacks: it logs, resolves, and pre-warms nothing.
    match: (d) => (d.path === 'logged'
      ? isStr(d.sdk) && d.sdk.startsWith('Error during redirect session pre-warm') && d.ours === undefined
      : d.sdk === false && d.ours === true),
    doc: 'pre-warms without a `@wix/sdk` client context',
  },
  {
    id: 'additions-to-the-strategy',
    kind: 'extra',
    scenario: /^exports$/,
    path: /^strategyMembers\.(fetchWithAuth|onSessionEnded|onTokensChanged|usableAuth|storageInUse|free|__destroy_into_raw)$/,
    match: (d) => d.sdk === undefined && isStr(d.ours),
    doc: 'Additions that do not exist in `@wix/sdk`',
  },
];

/** Scenarios that differed from @wix/sdk before issue 12 and are the same (or better) now. */
export const FIXED = [
  { scenario: 'parseFromUrl', was: 'threw on an error callback; "" for absent code/state' },
  { scenario: 'login 500 (fault)', was: 'rejected' },
  { scenario: 'login 503 (fault)', was: 'rejected' },
  { scenario: 'register 500 (fault)', was: 'rejected' },
  { scenario: 'login 429 (fault)', was: 'rejected' },
  { scenario: 'login 403 (fault)', was: 'rejected' },
  { scenario: 'tokenRequestOptions headers', was: 'option ignored' },
  { scenario: 'processVerification with nothing pending', was: 'rejected; no state argument' },
  { scenario: 'getAuthUrl without oauthData', was: 'rejected as a bad argument before any request' },
  { scenario: 'getAuthUrl idp {connectionId}', was: 'rejected: idp must be a string' },
  { scenario: 'email verification with the state argument', was: 'state argument ignored' },
  { scenario: 'external login with session', was: 'not a function' },
  { scenario: 'exports', was: 'TokenRole, LoginState, EMPTY_TOKENS, createLocalTokenStorage missing' },
  { scenario: 'register success', was: 'profile fields other than the first ten refused or dropped' },
];
