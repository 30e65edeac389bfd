// Everything the demo needs to know about your Wix Headless project, in one place.
// These values match `wix-auth-emulator` started with no flags (what `npm start` runs).
// For a real site: your OAuth app's client ID (Wix dashboard → Headless Settings) and
// baseUrl 'https://www.wixapis.com'; also allow this page's origin and callback URL there.
export const config = {
  clientId: '9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a',
  // The API host. The sign-in, logout and reset pages come back as URLs on the emulator's site
  // host (http://127.0.0.1:8789), as Wix's come back on your site's domain: nothing to set here.
  baseUrl: 'http://127.0.0.1:8788',
  // Show the developer panel (tokens, the emulator's outbox). Turn off for a real site.
  devPanel: true,
};
