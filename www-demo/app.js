// The storefront page: who you are, the ways to sign in, and a developer panel.
import {
  auth, config, callbackUrl, currentMember, displayName,
  MESSAGES, stateMachineMessage, errorMessage, logError,
} from './auth.js';

const $ = (id) => document.getElementById(id);
const ERRORS_NETWORK = new Set(['network_error', 'timeout']);
let mode = 'login'; // or 'register'
let busy = false;

// ---- messages -------------------------------------------------------------------------------

function showAlert(text) {
  $('notice').textContent = '';
  $('alert').textContent = text;
}

function showNotice(text) {
  $('alert').textContent = '';
  $('notice').textContent = text;
}

function clearMessages() {
  showAlert('');
}

// ---- who am I -------------------------------------------------------------------------------

let identityRuns = 0;

/** Shows who is here, in the header and the account box; returns the name to greet. */
async function renderIdentity() {
  // Token changes, other tabs and flows all ask for this; only the latest answer is shown.
  const run = ++identityRuns;
  let member = null;
  try {
    member = await currentMember();
  } catch (err) {
    logError('members/my', err);
    if (run === identityRuns) showAlert(errorMessage(err));
  }
  const signedIn = auth.loggedIn();
  const name = member ? displayName(member) : signedIn ? 'Member' : 'Visitor';
  if (run !== identityRuns) return name;
  $('whoami-name').textContent = signedIn ? name : 'Visitor';
  $('whoami-detail').textContent = signedIn ? (member?.loginEmail ?? '') : 'Browsing as a guest';
  $('whoami-avatar').textContent = signedIn ? name.trim().charAt(0).toUpperCase() : '?';
  $('whoami').dataset.role = signedIn ? 'member' : 'visitor';
  $('whoami').setAttribute('aria-busy', 'false');

  $('signed-in').hidden = !signedIn;
  $('signed-out').hidden = signedIn;
  if (signedIn) {
    $('member-name').textContent = name;
    $('member-email').textContent = member?.loginEmail ? `(${member.loginEmail})` : '';
  }
  renderTokens();
  return name;
}

// ---- Wix-managed login ----------------------------------------------------------------------

async function signInWithWix() {
  clearMessages();
  await withBusy($('wix-login'), async () => {
    // The library keeps this data (PKCE verifier, state) until the callback page asks for it.
    const oauthData = await auth.generateOAuthData(callbackUrl, location.href);
    const { authUrl } = await auth.getAuthUrl(oauthData, { prompt: 'login', responseMode: 'fragment' });
    location.assign(authUrl);
  }, (err) => {
    logError('getAuthUrl', err);
    showAlert(errorMessage(err));
  });
}

// ---- custom login / registration (direct login) ---------------------------------------------

function setMode(next) {
  mode = next;
  const form = $('auth-form');
  for (const b of form.querySelectorAll('[data-mode]')) b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
  form.querySelector('.register-only').hidden = mode !== 'register';
  $('auth-submit').textContent = mode === 'register' ? 'Create account' : 'Sign in';
  $('password').autocomplete = mode === 'register' ? 'new-password' : 'current-password';
  clearMessages();
}

function showForm(id) {
  for (const f of ['auth-form', 'verify-form', 'reset-form']) $(f).hidden = f !== id;
  // Mid-way through the email flow, the other way to sign in would only distract.
  $('wix-login').hidden = $('wix-divider').hidden = id !== 'auth-form';
  const first = $(id).querySelector('input:not([type=hidden])');
  first?.focus();
}

/** Finishes any successful step: session token → member tokens (stored by the library). */
async function completeLogin(result, action) {
  switch (result.loginState) {
    case 'SUCCESS':
      showNotice('Signing you in…');
      await auth.getMemberTokensForDirectLogin(result.data.sessionToken);
      $('auth-form').reset();
      $('verify-form').reset();
      showForm('auth-form');
      showNotice(`Welcome, ${await renderIdentity()}!`);
      $('logout').focus();
      return;
    case 'EMAIL_VERIFICATION_REQUIRED':
      $('verify-email').textContent = $('email').value.trim();
      showForm('verify-form');
      showNotice(MESSAGES.verify);
      refreshOutbox();
      return;
    case 'OWNER_APPROVAL_REQUIRED':
      showForm('auth-form');
      showNotice(MESSAGES.ownerApproval);
      return;
    default:
      // Nothing pending any more (expired, or another tab finished it): say so, not "wrong code".
      showAlert(action === 'verify'
        ? (result.authError?.code === 'no_pending_verification' ? errorMessage(result.authError) : MESSAGES.wrongCode)
        : stateMachineMessage(result, action));
      if (result.errorCode === 'invalidPassword') {
        $('password').value = '';
        $('password').focus();
      }
  }
}

async function submitAuthForm(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const email = form.email.value.trim();
  const password = form.password.value;
  if (!email || !form.email.checkValidity()) return invalid(form.email, 'Please enter your email address, like name@example.com.');
  if (!password) return invalid(form.password, 'Please enter your password.');
  showOutboxFor(email);

  await withBusy($('auth-submit'), async () => {
    showNotice(mode === 'register' ? 'Creating your account…' : 'Signing you in…');
    let result;
    if (mode === 'register') {
      const profile = {};
      if (form.firstName.value.trim()) profile.firstName = form.firstName.value.trim();
      if (form.lastName.value.trim()) profile.lastName = form.lastName.value.trim();
      result = await auth.register({ email, password, profile });
    } else {
      result = await auth.login({ email, password });
    }
    if (result.loginState === 'FAILURE') logError(mode, result);
    await completeLogin(result, mode);
  }, (err) => {
    logError(mode, err);
    showAlert(errorMessage(err));
  });
}

async function submitVerification(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const verificationCode = form.code.value.trim();
  if (!verificationCode) return invalid(form.code, 'Please enter the code from the email.');
  await withBusy(form.querySelector('[type=submit]'), async () => {
    const result = await auth.processVerification({ verificationCode });
    await completeLogin(result, 'verify');
  }, (err) => {
    logError('processVerification', err);
    showAlert(err?.code === 'no_pending_verification' || ERRORS_NETWORK.has(err?.code) ? errorMessage(err) : MESSAGES.wrongCode);
  });
}

async function submitReset(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const email = form.email.value.trim();
  if (!email || !form.email.checkValidity()) return invalid(form.email, 'Please enter your email address, like name@example.com.');
  await withBusy(form.querySelector('[type=submit]'), async () => {
    // The emailed link returns here after the new password is set.
    await auth.sendPasswordResetEmail(email, new URL('/?password-reset=done', location.href).href);
    // Same words whether or not the account exists: don't reveal who shops here.
    showNotice(`If there’s an account for ${email}, a reset link is on its way.`);
    showOutboxFor(email);
  }, (err) => {
    logError('sendPasswordResetEmail', err);
    showAlert(errorMessage(err));
  });
}

function invalid(input, text) {
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', 'alert');
  input.addEventListener('input', () => {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }, { once: true });
  showAlert(text);
  input.focus();
}

/** Disables a button while `work` runs; routes failures to `onError`. */
async function withBusy(button, work, onError) {
  if (busy) return;
  busy = true;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await work();
  } catch (err) {
    onError(err);
  } finally {
    busy = false;
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

// ---- sign out ---------------------------------------------------------------------------------

async function signOut() {
  clearMessages();
  await withBusy($('logout'), async () => {
    const { logoutUrl } = await auth.logout(new URL('/', location.href).href);
    location.assign(logoutUrl);
  }, async (err) => {
    logError('logout', err);
    // The library has already forgotten the member locally; show the page as it now is.
    await renderIdentity();
    showAlert(errorMessage(err));
  });
}

// ---- developer panel ----------------------------------------------------------------------

/**
 * At most a short piece of a token: its type tag (`OauthNG.JWS.`, `AQS.`, the same in every
 * token) and its last 6 characters, enough to tell two tokens apart and useless to anyone who
 * sees it. The end, not the start: what follows the tag is often the same in every token (a JWS
 * header; the emulator's mint time).
 */
function tokenPrefix(value) {
  if (!value) return '—';
  const tag = String(value).match(/^(?:[A-Za-z]{1,8}\.){0,2}/)[0];
  return `${tag}…${String(value).slice(-6)}`;
}

function renderTokens() {
  if (!config.devPanel) return;
  const tokens = auth.getTokens();
  $('token-role').textContent = tokens?.refreshToken?.role ?? '—';
  $('token-access').textContent = tokenPrefix(tokens?.accessToken?.value);
  $('token-refresh').textContent = tokenPrefix(tokens?.refreshToken?.value);
  renderExpiry();
}

function renderExpiry() {
  const expiresAt = auth.getTokens()?.accessToken?.expiresAt;
  const el = $('token-expiry');
  if (!expiresAt) {
    el.textContent = '—';
    return;
  }
  const left = Math.round(expiresAt - Date.now() / 1000);
  if (left <= 0) {
    el.textContent = 'expired (renewed on next use)';
    return;
  }
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  el.textContent = `${h ? `${h}h ` : ''}${String(m).padStart(h ? 2 : 1, '0')}m ${String(s).padStart(2, '0')}s`;
}

/** Points the outbox at one shopper's emails. */
function showOutboxFor(email) {
  $('outbox-email').value = email;
  refreshOutbox();
}

let outboxRequests = 0;

async function refreshOutbox(event) {
  event?.preventDefault();
  if (!config.devPanel) return;
  const request = ++outboxRequests;
  const list = $('outbox');
  const email = $('outbox-email').value.trim();
  const url = new URL('/_emulator/outbox', config.baseUrl);
  if (email) url.searchParams.set('email', email);
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`outbox answered ${res.status}`);
    const mails = await res.json();
    if (request === outboxRequests) renderOutbox(mails); // else a newer refresh is on its way
  } catch (err) {
    logError('outbox', err);
    list.replaceChildren(item('The emulator’s outbox is not reachable (only the emulator has one).'));
  }
}

function item(text, className) {
  const li = document.createElement('li');
  if (className) li.className = className;
  li.textContent = text;
  return li;
}

const MAIL_KINDS = { verification: 'Verification code', password_reset: 'Password reset' };

/** The emulator's outbox (`[{id, to, kind, code, link, createdDate}]`, oldest first), newest on top. */
function renderOutbox(mails) {
  const list = $('outbox');
  if (!mails.length) {
    list.replaceChildren(item('No emails yet.', 'muted'));
    return;
  }
  list.replaceChildren(...mails.slice(-10).reverse().map((m) => {
    const li = document.createElement('li');
    li.className = 'mail';
    const head = document.createElement('div');
    head.className = 'mail-head';
    head.textContent = `${MAIL_KINDS[m.kind] ?? m.kind} · to ${m.to} · ${new Date(m.createdDate).toLocaleTimeString()}`;
    li.append(head);
    if (m.kind === 'verification') {
      const code = document.createElement('div');
      code.className = 'mail-code';
      code.append('Code: ');
      const value = document.createElement('code');
      value.className = 'outbox-code';
      value.textContent = m.code;
      code.append(value);
      li.append(code);
    }
    if (m.link) {
      const a = document.createElement('a');
      a.href = m.link;
      a.textContent = 'Choose a new password';
      li.append(a);
    }
    return li;
  }));
}

// ---- cart placeholder -----------------------------------------------------------------------

addEventListener('storage', (event) => {
  if (event.key === 'demo-cart') renderCart();
});

function renderCart() {
  $('cart-count').textContent = localStorage.getItem('demo-cart') ?? '0';
}

// ---- wiring ---------------------------------------------------------------------------------

async function main() {
  $('wix-login').addEventListener('click', signInWithWix);
  $('auth-form').addEventListener('submit', submitAuthForm);
  $('verify-form').addEventListener('submit', submitVerification);
  $('reset-form').addEventListener('submit', submitReset);
  $('logout').addEventListener('click', signOut);
  $('forgot').addEventListener('click', () => {
    $('reset-email').value = $('email').value;
    clearMessages();
    showForm('reset-form');
  });
  for (const b of document.querySelectorAll('[data-back]')) b.addEventListener('click', () => {
    clearMessages();
    showForm('auth-form');
  });
  for (const b of document.querySelectorAll('[data-mode]')) b.addEventListener('click', () => setMode(b.dataset.mode));
  for (const b of document.querySelectorAll('[data-add-to-cart]')) b.addEventListener('click', () => {
    localStorage.setItem('demo-cart', String(Number(localStorage.getItem('demo-cart') ?? 0) + 1));
    renderCart();
  });
  renderCart();

  if (config.devPanel) {
    $('dev-panel').hidden = false;
    $('outbox-form').addEventListener('submit', refreshOutbox);
    setInterval(renderExpiry, 1000);
    refreshOutbox();
  }

  // A refresh rotated the tokens, this tab or another one signed in or out: show it. (The
  // library hears other tabs itself, through BroadcastChannel and storage events.)
  auth.onTokensChanged(() => renderIdentity());
  auth.onSessionEnded(async (reason) => {
    // Browsing goes on as a visitor, with a visitor's tokens (the cart API needs some).
    await auth.generateVisitorTokens().catch((err) => logError('generateVisitorTokens', err));
    await renderIdentity();
    if (reason === 'signed_out_in_another_tab') {
      showNotice('You signed out in another tab. You’re browsing as a guest.');
    } else if (reason === 'refresh_rejected') {
      showAlert('Your session has ended. You’re browsing as a guest; sign in again to see your account.');
    } else {
      showNotice('You’re signed out.');
    }
  });

  try {
    // The first visit mints a visitor; later visits reuse the stored tokens.
    if (!auth.loggedIn()) await auth.generateVisitorTokens();
  } catch (err) {
    logError('generateVisitorTokens', err);
    showAlert(errorMessage(err));
  }
  await renderIdentity();
  const url = new URL(location.href);
  if (url.searchParams.get('password-reset') === 'done') {
    url.searchParams.delete('password-reset');
    history.replaceState(null, '', url);
    showNotice('Your password has been changed. Sign in with your new password.');
  }
  document.body.dataset.ready = 'true';
}

main();
