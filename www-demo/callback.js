// The page the Wix-managed login returns to: `callback.html#code=…&state=…`.
import { auth, errorMessage, logError } from './auth.js';

const $ = (id) => document.getElementById(id);

/** Where to go after sign-in: the page that started it, if it is ours; else the shop. */
function returnTo(originalUri) {
  try {
    const url = new URL(originalUri, location.href);
    if (url.origin === location.origin) return url.href;
  } catch { /* fall through */ }
  return new URL('/', location.href).href;
}

async function finish() {
  const { code, state, error, errorDescription } = auth.parseFromUrl(location.href, 'fragment');
  // Code and state are single-use secrets: take them out of the address bar and history at once.
  history.replaceState(null, '', location.pathname);
  if (error) {
    throw Object.assign(new Error(errorDescription || error), { code: error });
  }
  // No oauthData argument: the library finds what generateOAuthData stored under this state
  // (and refuses a state it never issued).
  const result = await auth.getMemberTokens(code, state);
  $('notice').textContent = 'Signed in. Taking you back…';
  location.replace(returnTo(result?.originalUri ?? result?.oauthData?.originalUri ?? '/'));
}

finish().catch((err) => {
  logError('callback', err);
  $('notice').textContent = '';
  // `unknown_state`: no sign-in was started here with this state (forged, replayed, or started
  // in another browser); to the shopper that is the same as a mismatch.
  $('alert').textContent = errorMessage(err.code === 'unknown_state' ? { code: 'state_mismatch' } : err);
  $('back').hidden = false;
  document.title = 'Sign-in failed — Fern & Flint';
  document.body.dataset.ready = 'true';
});
