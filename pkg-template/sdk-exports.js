// The run-time values `@wix/sdk` 1.21.16 exports beside `OAuthStrategy` for auth (its index
// re-exports auth/oauth2/types.js and auth/oauth2/token-storage.js), with the same names and
// values, so that `import { OAuthStrategy, TokenRole, LoginState, EMPTY_TOKENS,
// createLocalTokenStorage } from '@wix/sdk'` keeps working with only the package name changed.
// Frozen: they are shared by every strategy of the page.

/** Whose tokens these are (`refreshToken.role`). */
export const TokenRole = Object.freeze({ NONE: 'none', VISITOR: 'visitor', MEMBER: 'member' });

/** `StateMachine.loginState` (the SDK's `INITIAL` and captcha states included, though no
 *  call here resolves to them: neither does the SDK's). */
export const LoginState = Object.freeze({
  SUCCESS: 'SUCCESS',
  INITIAL: 'INITIAL',
  FAILURE: 'FAILURE',
  EMAIL_VERIFICATION_REQUIRED: 'EMAIL_VERIFICATION_REQUIRED',
  OWNER_APPROVAL_REQUIRED: 'OWNER_APPROVAL_REQUIRED',
  USER_CAPTCHA_REQUIRED: 'USER_CAPTCHA_REQUIRED',
  SILENT_CAPTCHA_REQUIRED: 'SILENT_CAPTCHA_REQUIRED',
});

/** No tokens: what `getTokens()` holds before the first call and after `logout`. */
export const EMPTY_TOKENS = Object.freeze({
  accessToken: Object.freeze({ value: '', expiresAt: 0 }),
  refreshToken: Object.freeze({ value: '', role: TokenRole.NONE }),
});

/** A `{getTokens, setTokens}` storage that keeps the tokens in this object (the SDK's default
 *  storage); pass it as `tokenStorage` to keep tokens in memory only. */
export function createLocalTokenStorage(initialTokens) {
  let tokens = initialTokens;
  return {
    getTokens: () => tokens,
    setTokens: (next) => { tokens = next; },
  };
}
