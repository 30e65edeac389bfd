//! The TypeScript declarations of the public shapes, appended to wasm-bindgen's `.d.ts`. They copy
//! `@wix/sdk`'s public types (minus `any`) so that code written for it type-checks here.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Whose tokens these are. */
export type TokenRole = "none" | "visitor" | "member";
/** An access token and when it expires (Unix seconds). */
export interface AccessToken { value: string; expiresAt: number; }
/** A refresh token and the role it was issued for. */
export interface RefreshToken { value: string; role: TokenRole; }
/** Wix's `Tokens`. */
export interface Tokens { accessToken: AccessToken; refreshToken: RefreshToken; }
/** A place of your own for the tokens (Wix's `tokenStorage`). */
export interface TokenStorage { getTokens(): Tokens; setTokens(tokens: Tokens): void; }
/** Where the tokens persist: `local` (default), `session`, `memory`, or your own object. */
export type StorageOption = "local" | "session" | "memory" | TokenStorage;

/** Options of `OAuthStrategy`. */
export interface OAuthStrategyOptions {
  /** The OAuth app's client id. */
  clientId: string;
  /** Tokens to start with (otherwise those stored by a previous page). */
  tokens?: Tokens;
  /** The Wix site id, when known. */
  siteId?: string;
  /** The auth API's origin; default `https://www.wixapis.com`. */
  baseUrl?: string;
  /** Where tokens persist; default `"local"`. Falls back to memory when storage is unavailable. */
  storage?: StorageOption;
  /** `@wix/sdk`'s name for a custom `storage` object. */
  tokenStorage?: TokenStorage;
  /** Prefix of every storage key; default `wix-headless-auth:<clientId>`. */
  storageKey?: string;
  /** Seconds before `expiresAt` at which an access token counts as expired; default 60. */
  skewSeconds?: number;
  /** How long direct login waits for Wix's hidden frame; default 10000. */
  directLoginTimeoutMs?: number;
  /** How long one HTTP request may take; default 30000. */
  requestTimeoutMs?: number;
  /**
   * Origins besides `baseUrl`'s that `fetchWithAuth` sends the access token to, such as
   * `"https://api.myshop.com"` (https, or http on loopback; no path, no wildcard). Requests to
   * any other origin go out without the token, and their 401 does not refresh it.
   */
  fetchWithAuthOrigins?: string[];
}

/** What `generateOAuthData` returns: the PKCE pair and `state` of one login attempt. */
export interface OAuthData {
  state: string;
  redirectUri: string;
  originalUri: string;
  codeVerifier: string;
  codeChallenge: string;
}
/** `@wix/sdk`'s spelling of `OAuthData`. */
export type OauthData = OAuthData;
/** `google`, `facebook`, or an identity-provider connection id. */
export type IdentityProvider = "google" | "facebook" | (string & {});
/** How the hosted page hands the result back. */
export type ResponseMode = "fragment" | "query" | "web_message";
/** Options of `getAuthUrl`. */
export interface AuthUrlOptions {
  prompt?: "login" | "none";
  responseMode?: ResponseMode;
  idp?: IdentityProvider;
  sessionToken?: string;
}
/** What `getAuthUrl` resolves to. */
export interface AuthUrl { authUrl: string; authorizationEndpoint: string; sessionToken?: string; }
/** What `parseFromUrl` returns. */
export interface CallbackParams { code: string; state: string; error?: string; errorDescription?: string; }

/** `StateMachine.loginState`. */
export type LoginState = "SUCCESS" | "EMAIL_VERIFICATION_REQUIRED" | "OWNER_APPROVAL_REQUIRED" | "FAILURE";
/** `StateMachine.errorCode`. */
export type LoginErrorCode =
  | "invalidEmail" | "invalidPassword" | "resetPassword"
  | "missingCaptchaToken" | "emailAlreadyExists" | "invalidCaptchaToken";
/** Signed in: pass `data.sessionToken` to `getMemberTokensForDirectLogin`. */
export interface SuccessState { loginState: "SUCCESS"; data: { sessionToken: string }; }
/** A code was emailed: pass it to `processVerification`. */
export interface EmailVerificationRequiredState { loginState: "EMAIL_VERIFICATION_REQUIRED"; data: { stateToken: string }; }
/** The site owner must approve the member first. */
export interface OwnerApprovalRequiredState { loginState: "OWNER_APPROVAL_REQUIRED"; data: Record<string, never>; }
/** Refused; `errorCode` says why when Wix does. */
export interface FailureState { loginState: "FAILURE"; data: Record<string, never>; errorCode?: LoginErrorCode; error: string; }
/** What `login`, `register` and `processVerification` resolve to. */
export type StateMachine = SuccessState | EmailVerificationRequiredState | OwnerApprovalRequiredState | FailureState;

/** reCAPTCHA tokens for `login` / `register`. */
export interface CaptchaTokens { recaptchaToken?: string; invisibleRecaptchaToken?: string; }
/** Any JSON value (custom profile fields). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A new member's profile. */
export interface IdentityProfile {
  firstName?: string; lastName?: string; nickname?: string; picture?: string;
  emails?: string[]; phones?: string[]; labels?: string[]; language?: string;
  privacyStatus?: "PUBLIC" | "PRIVATE" | (string & {}); customFields?: JsonValue;
}
/** `login`'s argument. */
export interface LoginParams { email: string; password: string; captchaTokens?: CaptchaTokens; }
/** `register`'s argument. */
export interface RegisterParams extends LoginParams { profile?: IdentityProfile; }
/** `processVerification`'s argument. */
export interface VerificationInput { verificationCode: string; }

/** What `getAuthHeaders` resolves to. */
export interface AuthHeaders { headers: { Authorization: string }; }
/** What `logout` resolves to: send the browser there. */
export interface LogoutResult { logoutUrl: string; }
/** Why a member's session ended. */
export type SessionEndReason = "signed_out" | "refresh_rejected" | "signed_out_in_another_tab";
/** Returned by `onTokensChanged` / `onSessionEnded`: call it to stop listening. */
export type Unsubscribe = () => void;

/** The stable `code` of every `AuthError`. */
export type AuthErrorCode =
  | "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client"
  | "unsupported_grant_type" | "access_denied" | "server_error" | "temporarily_unavailable"
  | "authorization_pending" | "slow_down" | "expired_token" | "invalid_scope"
  | LoginErrorCode
  | "network_error" | "timeout" | "aborted" | "unexpected_response" | "http_error" | "state_mismatch"
  | "missing_code" | "unknown_state" | "invalid_url" | "unsafe_url" | "invalid_argument"
  | "redirect_uri_not_allowed" | "no_refresh_token" | "no_pending_verification"
  | "browser_only" | "storage_error" | "session_ended" | "unknown_error";
/** Every rejection and throw of this library. Messages never contain a token. */
export interface AuthError extends Error {
  name: "AuthError";
  code: AuthErrorCode;
  /** HTTP status of the reply, 0 when there was none. */
  status: number;
  /** `x-wix-request-id` of the reply, when there was one. */
  requestId?: string;
}
"#;
