import type { TokenStorage, Tokens } from './wix_headless_auth.js';

/** The cookie's name, as in Wix's headless templates: `wixSession`. */
export declare const WIX_SESSION_COOKIE: 'wixSession';

/** The attributes `createCookieStorage` writes with (the names Next.js and Astro take). */
export interface SessionCookieAttributes {
  path: string;
  sameSite: 'lax';
  secure: boolean;
  httpOnly: false;
  /** Seconds; 0 deletes the cookie (sign-out). */
  maxAge: number;
}

/** A framework's cookie jar: Next.js's `cookies()`, `NextRequest.cookies`, `NextResponse.cookies`, Astro's `Astro.cookies`. */
export interface CookieJar {
  get(name: string): { value: string } | string | undefined;
  set(name: string, value: string, attributes: SessionCookieAttributes): unknown;
}

/** Options of `createCookieStorage`. */
export interface CookieStorageOptions {
  /** The OAuth app's client id; a cookie of another client id is ignored. */
  clientId: string;
  /** On a server: the request's cookies. Left out in a page (`document.cookie`). */
  cookies?: CookieJar;
  /** On a server: where to write, when not `cookies` (a Next.js proxy's response). */
  responseCookies?: CookieJar;
  /** Default `wixSession`. */
  name?: string;
  /** Default `true` (browsers treat http://localhost as secure). */
  secure?: boolean;
  /** Seconds; default 30 days. */
  maxAge?: number;
  /** Default `/`. */
  path?: string;
  /** The strategy's `storageKey`, if you gave it one: the page's news to other tabs goes on its channel. */
  storageKey?: string;
}

/** A token storage in the `wixSession` cookie (`{clientId, tokens}` as JSON), shared by server renders and the page. */
export declare function createCookieStorage(options: CookieStorageOptions): TokenStorage;

/** The tokens of a URL-decoded `wixSession` value; `undefined` when missing, over 4 KB, malformed or another client's. */
export declare function readWixSession(value: string | undefined, clientId: string): Tokens | undefined;

/** The `wixSession` value (JSON, not URL-encoded) for these tokens. */
export declare function wixSessionValue(clientId: string, tokens: Tokens): string;
