// Names one refresh token without showing it: the first 8 bytes of its SHA-256, in hex. Web Crypto,
// so a server render (Node 20+) and the page compute the same name, and a test can tell whether
// both act as the same visitor.
/** A short, stable name for one refresh token (so a page can show whose it is without showing it). */
export async function fingerprint(value) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
