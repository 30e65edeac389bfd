// The one OAuthStrategy instance of the storefront, shared by the shop page and the callback page,
// plus the two things every page needs around it: who is signed in, and words for what went wrong.
import { OAuthStrategy } from '/pkg/index.js';
import { config } from './config.js';

export { config };

// Tokens live in localStorage (the library persists them), so every page and every reload
// of this origin sees the same visitor or member.
export const auth = OAuthStrategy({ clientId: config.clientId, baseUrl: config.baseUrl });

/** The callback page the Wix-managed login returns to; it must be allowed in the OAuth app. */
export const callbackUrl = new URL('callback.html', location.href).href;

/** The signed-in member (`GET /members/v1/members/my`), or null for a visitor. */
export async function currentMember() {
  if (!auth.loggedIn()) return null;
  // fetchWithAuth adds the Authorization header, and on a 401 refreshes once and retries once.
  // FULL: the default PUBLIC fieldset has only id and profile (no email, no contact name).
  const res = await auth.fetchWithAuth(`${config.baseUrl}/members/v1/members/my?fieldsets=FULL`);
  if (!res.ok) throw Object.assign(new Error(`members API answered ${res.status}`), { status: res.status });
  const { member } = await res.json();
  return member;
}

/** A name to greet a member by: their name, else nickname, else email. */
export function displayName(member) {
  const first = member?.contact?.firstName ?? '';
  const last = member?.contact?.lastName ?? '';
  const full = `${first} ${last}`.trim();
  return full || member?.profile?.nickname || member?.loginEmail || 'Member';
}

const LOGIN_ERRORS = {
  invalidPassword: 'That password doesn’t match this email. Try again, or reset your password.',
  invalidEmail: 'We couldn’t find an account with that email. Check it for typos, or create an account.',
  resetPassword: 'For your security, please reset your password before signing in.',
  missingCaptchaToken: 'Please confirm you’re not a robot, then try again.',
  invalidCaptchaToken: 'The robot check expired. Please try again.',
};

const REGISTER_ERRORS = {
  emailAlreadyExists: 'An account with this email already exists. Sign in instead, or reset your password.',
  invalidEmail: 'That doesn’t look like a valid email address.',
  missingCaptchaToken: LOGIN_ERRORS.missingCaptchaToken,
  invalidCaptchaToken: LOGIN_ERRORS.invalidCaptchaToken,
};

export const MESSAGES = {
  ownerApproval:
    'Thanks for signing up! The store owner needs to approve your account. You can sign in once it’s approved.',
  verify: 'We’ve emailed you a 6-digit code. Enter it below to finish.',
  wrongCode: 'That code isn’t right or has expired. Check the latest email and try again.',
  generic: 'Something went wrong on our side. Please try again in a moment.',
  network: 'We can’t reach the store right now. Check your connection and try again.',
};

/** Shopper-facing words for a failed `login()` / `register()` result (`errorCode`). */
export function stateMachineMessage(result, action) {
  const table = action === 'register' ? REGISTER_ERRORS : LOGIN_ERRORS;
  return table[result?.errorCode] ?? MESSAGES.generic;
}

const ERRORS = {
  network_error: MESSAGES.network,
  timeout: MESSAGES.network,
  state_mismatch: 'This sign-in link doesn’t match the one we started, so we stopped for your safety. Please sign in again.',
  missing_code: 'This sign-in link is incomplete. Please sign in again.',
  invalid_grant: 'This sign-in link has expired or was already used. Please sign in again.',
  access_denied: 'Sign-in was cancelled.',
  login_required: 'Please sign in to continue.',
  no_pending_verification: 'That verification has expired. Please sign in again to get a new code.',
  redirect_uri_not_allowed: 'This shop’s address isn’t allowed to sign you in yet (the store owner needs to allow it).',
};

/** Shopper-facing words for a thrown error (the library's errors carry a stable `code`). */
export function errorMessage(err) {
  if (err instanceof TypeError && !err.code) return MESSAGES.network; // a bare fetch failure
  return ERRORS[err?.code] ?? MESSAGES.generic;
}

/** Logs the technical side of an error for developers; shoppers see `errorMessage`. */
export function logError(context, err) {
  console.warn(`[demo] ${context}:`, err?.code ?? '', err?.status ?? '', err?.requestId ?? '', err?.message ?? err);
}
