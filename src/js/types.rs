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
  /** Accepted and unused: `@wix/sdk`'s OAuthStrategy has no `siteId` (the client id names the site). */
  siteId?: string;
  /** Accepted and unused, as in `@wix/sdk` (its OAuthStrategy never reads it). */
  publicKey?: string;
  /** Extra headers on every token request (e.g. `client-binding`), as in `@wix/sdk`. */
  tokenRequestOptions?: { headers?: Record<string, string> };
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
/** `google`, `facebook`, or an identity-provider connection id (`{connectionId}` as in `@wix/sdk`, or the bare id). */
export type IdentityProvider = "google" | "facebook" | { connectionId: string } | (string & {});
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
/** What `parseFromUrl` returns: `null` for what the URL lacks; `error` (with `errorDescription`) only on an error callback. */
export interface CallbackParams { code: string | null; state: string | null; error?: string; errorDescription?: string | null; }

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
export interface OwnerApprovalRequiredState { loginState: "OWNER_APPROVAL_REQUIRED"; }
/** The typed error behind a `FAILURE` (this library's addition). */
export interface FailureCause {
  code: AuthErrorCode;
  /** HTTP status of the reply, 0 when there was none. */
  status: number;
  requestId?: string;
  /** The Wix application code of the reply (`-19976`, …), when it had one. */
  applicationCode?: string;
  message: string;
}
/** Refused; `errorCode` says why when Wix does; `authError` always says what happened. */
export interface FailureState { loginState: "FAILURE"; errorCode?: LoginErrorCode; error: string; authError?: FailureCause; }
/** What `login`, `register` and `processVerification` resolve to. */
export type StateMachine = SuccessState | EmailVerificationRequiredState | OwnerApprovalRequiredState | FailureState;

/** reCAPTCHA tokens for `login` / `register`. */
export interface CaptchaTokens { recaptchaToken?: string; invisibleRecaptchaToken?: string; }
/** Any JSON value (custom profile fields). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** An address of a profile, in `@wix/identity`'s names. */
export interface ProfileAddress {
  country?: string; subdivision?: string; city?: string; postalCode?: string;
  addressLine1?: string; addressLine2?: string; formatted?: string; hint?: string;
  location?: { latitude?: number; longitude?: number };
  streetAddress?: { number?: string; name?: string; apt?: string; formattedAddressLine?: string };
}
/** A new member's profile (`@wix/identity`'s `IdentityProfile`). */
export interface IdentityProfile {
  firstName?: string | null; lastName?: string | null; nickname?: string | null; picture?: string | null;
  emails?: string[]; phones?: string[]; labels?: string[]; language?: string | null;
  privacyStatus?: "UNDEFINED" | "PUBLIC" | "PRIVATE" | (string & {}); customFields?: JsonValue;
  secondaryEmails?: { email?: string; tag?: "UNTAGGED" | "MAIN" | "HOME" | "WORK" }[];
  phonesV2?: { countryCode?: string | null; phone?: string; tag?: "UNTAGGED" | "MAIN" | "HOME" | "MOBILE" | "WORK" | "FAX" }[];
  addresses?: { tag?: "UNTAGGED" | "HOME" | "WORK" | "BILLING" | "SHIPPING" | (string & {}); address?: ProfileAddress }[];
  company?: string | null; position?: string | null; birthdate?: string | null; slug?: string | null;
  subscription?: boolean | null; vatId?: string | null;
}
/** Options of `getMemberTokensForExternalLoginWithSession` (`@wix/identity`'s `SignOnOptions`). */
export interface SignOnOptions { profile?: IdentityProfile; verifyEmail?: boolean; mergeExistingContact?: boolean; }
/** `login`'s argument. */
export interface LoginParams { email: string; password: string; captchaTokens?: CaptchaTokens; }
/** `register`'s argument. */
export interface RegisterParams extends LoginParams { profile?: IdentityProfile; }
/** `processVerification`'s argument (`code` is read too, as in `@wix/sdk`). */
export interface VerificationInput { verificationCode?: string; code?: string; }

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
  | "browser_only" | "storage_error" | "session_ended" | "site_not_published" | "unknown_error";
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
