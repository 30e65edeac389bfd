import { OAuthStrategy as Strategy } from './wix_headless_auth.js';
import type { OAuthStrategyOptions } from './wix_headless_auth.js';

export type {
  AccessToken, AuthError, AuthErrorCode, AuthHeaders, AuthUrl, AuthUrlOptions, CallbackParams,
  CaptchaTokens, EmailVerificationRequiredState, FailureCause, FailureState, IdentityProfile, IdentityProvider,
  JsonValue, LoginErrorCode, LoginParams, LogoutResult, OAuthData, OAuthSessions,
  OAuthStrategyOptions, OauthData, OwnerApprovalRequiredState, RefreshToken, RegisterParams,
  ProfileAddress, ResponseMode, SessionEndReason, SignOnOptions, StateMachine, StorageOption, SuccessState,
  TokenStorage, Tokens, Unsubscribe, VerificationInput,
} from './wix_headless_auth.js';

/** `OAuthStrategy`, callable with or without `new`. */
export interface OAuthStrategyConstructor {
  (options: OAuthStrategyOptions): Strategy;
  new (options: OAuthStrategyOptions): Strategy;
  readonly prototype: Strategy;
}

/** The Wix Headless OAuth strategy: `OAuthStrategy({ clientId })`. */
export declare const OAuthStrategy: OAuthStrategyConstructor;
/** A strategy instance. */
export type OAuthStrategy = Strategy;
export default OAuthStrategy;

// The run-time values `@wix/sdk` exports beside `OAuthStrategy` (sdk-exports.js). `TokenRole` and
// `LoginState` are types too (the union of their values), as `@wix/sdk`'s enums are.
import type {
  LoginState as LoginStateName, TokenRole as TokenRoleName, Tokens as TokensType, TokenStorage as TokenStorageType,
} from './wix_headless_auth.js';
export type TokenRole = TokenRoleName;
export type LoginState = LoginStateName;
/** Whose tokens these are: `TokenRole.MEMBER === 'member'`. */
export declare const TokenRole: { readonly NONE: 'none'; readonly VISITOR: 'visitor'; readonly MEMBER: 'member' };
/** `StateMachine.loginState` values, as `@wix/sdk`'s `LoginState` enum. */
export declare const LoginState: {
  readonly SUCCESS: 'SUCCESS'; readonly INITIAL: 'INITIAL'; readonly FAILURE: 'FAILURE';
  readonly EMAIL_VERIFICATION_REQUIRED: 'EMAIL_VERIFICATION_REQUIRED';
  readonly OWNER_APPROVAL_REQUIRED: 'OWNER_APPROVAL_REQUIRED';
  readonly USER_CAPTCHA_REQUIRED: 'USER_CAPTCHA_REQUIRED';
  readonly SILENT_CAPTCHA_REQUIRED: 'SILENT_CAPTCHA_REQUIRED';
};
/** No tokens (empty values, role `none`). */
export declare const EMPTY_TOKENS: TokensType;
/** A `{getTokens, setTokens}` storage that keeps `initialTokens` in memory. */
export declare function createLocalTokenStorage(initialTokens: TokensType): TokenStorageType;
