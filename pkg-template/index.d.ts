import { OAuthStrategy as Strategy } from './wix_headless_auth.js';
import type { OAuthStrategyOptions } from './wix_headless_auth.js';

export type {
  AccessToken, AuthError, AuthErrorCode, AuthHeaders, AuthUrl, AuthUrlOptions, CallbackParams,
  CaptchaTokens, EmailVerificationRequiredState, FailureState, IdentityProfile, IdentityProvider,
  JsonValue, LoginErrorCode, LoginParams, LoginState, LogoutResult, OAuthData, OAuthSessions,
  OAuthStrategyOptions, OauthData, OwnerApprovalRequiredState, RefreshToken, RegisterParams,
  ResponseMode, SessionEndReason, StateMachine, StorageOption, SuccessState, TokenRole, TokenStorage,
  Tokens, Unsubscribe, VerificationInput,
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
