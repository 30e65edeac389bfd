/**
 * The `Symbol.for` key under which the script leaves `{ url, module }`: the absolute URL it
 * compiled and the promise of its module (read by the package's browser entry).
 */
export const EARLY: string;

/**
 * The text of an inline script (without the `<script>` tags) that compiles the package's `.wasm`
 * at `href` from the page's `<head>`; the package's browser entry then takes that module instead
 * of fetching and compiling its own, when `href` resolves to the URL the entry would fetch (a
 * module of another file is never used). Put it after the `.wasm`'s preload link and before the
 * page's own scripts. `href` is the URL the page's bundle fetches the file at (Astro: a `?url`
 * import of `wix-headless-auth/wix_headless_auth_bg.wasm`; Next.js:
 * `new URL('wix-headless-auth/wix_headless_auth_bg.wasm', import.meta.url)`).
 * The script also opens the page's Web Locks manager (a query that takes nothing), so that the
 * first call's lock is not kept waiting for the browser to set it up.
 * Throws a `TypeError` when `href` is neither a non-empty string nor a `URL`.
 */
export function compileScript(href: string | URL): string;
