// Compile-only (tsc --noEmit, never run): the `types` condition of the package's `exports`
// resolves under Node16 module resolution, and its types are precise enough to catch misuse.
import { OAuthStrategy, TokenRole, LoginState, EMPTY_TOKENS, createLocalTokenStorage } from 'wix-headless-auth';
import type { AuthError, StateMachine, Tokens, CallbackParams } from 'wix-headless-auth';

const auth = OAuthStrategy({ clientId: 'id', storage: 'memory' });
const withNew: OAuthStrategy = new OAuthStrategy({ clientId: 'id', storage: { getTokens: () => auth.getTokens(), setTokens() {} } });
export const visitor: Promise<Tokens> = withNew.generateVisitorTokens();

export async function signIn(email: string, password: string): Promise<string | undefined> {
  const state: StateMachine = await auth.login({ email, password });
  if (state.loginState === 'SUCCESS') return state.data.sessionToken;
  if (state.loginState === 'FAILURE') return state.errorCode;
  return undefined;
}

export function isBrowserOnly(e: unknown): boolean {
  return (e as AuthError).code === 'browser_only';
}

// @ts-expect-error clientId is required
OAuthStrategy({});
// @ts-expect-error not a storage kind
OAuthStrategy({ clientId: 'id', storage: 'cookie' });
// @ts-expect-error not an error code
export const bad: AuthError['code'] = 'window_missing';

// What `@wix/sdk` exports beside OAuthStrategy: values and types under the same names.
const role: TokenRole = TokenRole.MEMBER;
const failed: LoginState = LoginState.FAILURE;
export const inMemory = OAuthStrategy({ clientId: 'id', tokenStorage: createLocalTokenStorage(EMPTY_TOKENS) });
export const withSdkOptions = OAuthStrategy({ clientId: 'id', publicKey: 'k', tokenRequestOptions: { headers: { 'client-binding': 'b' } } });
export const parsed: CallbackParams = auth.parseFromUrl('http://a.test/cb');
export const code: string | null = parsed.code;
export const kinds = [role, failed];
export async function sdkStyle(): Promise<void> {
  await auth.getAuthUrl();
  await auth.getAuthUrl(undefined, { idp: { connectionId: 'c' } });
  const state = await auth.register({ email: 'a@b.c', password: 'p', profile: { company: 'Acme', addresses: [{ tag: 'HOME', address: { addressLine1: '1 Main St' } }] } });
  if (state.loginState === 'FAILURE') console.log(state.authError?.code, state.authError?.applicationCode);
  await auth.processVerification({ verificationCode: '1' }, state);
  await auth.getMemberTokensForExternalLoginWithSession('a@b.c', 'key', { verifyEmail: true });
}
// @ts-expect-error not a role
export const badRole: TokenRole = 'admin';
// wix-headless-auth/cookie: a cookie jar of a framework's shape gives a storage the strategy takes.
import { createCookieStorage, readWixSession } from 'wix-headless-auth/cookie';
const cookieJar = { get: (name: string) => ({ name, value: '' }), set: (_name: string, _value: string, _options: object) => undefined };
export const fromCookie = OAuthStrategy({ clientId: 'id', storage: createCookieStorage({ clientId: 'id', cookies: cookieJar }) });
export const inPage = OAuthStrategy({ clientId: 'id', storage: createCookieStorage({ clientId: 'id' }) });
export const read: Tokens | undefined = readWixSession('{}', 'id');
// @ts-expect-error the client id is required
createCookieStorage({ cookies: cookieJar });
// wix-headless-auth/preload: the inline script's text, from the URL as a string or a URL object.
import { compileScript } from 'wix-headless-auth/preload';
export const headScript: string = compileScript('/_astro/wix_headless_auth_bg.wasm') + compileScript(new URL('https://a.example/m.wasm'));
// @ts-expect-error the URL is required
compileScript();
