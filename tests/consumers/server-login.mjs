// Member tokens on a server, where no hidden frame exists: `login`/`register` give a
// `sessionToken`; a Wix-managed auth URL carrying it with `prompt: 'none'` and
// `responseMode: 'query'` answers with a redirect whose `code` `getMemberTokens` exchanges.
// This is the docs' SSR recipe (docs/quick-start.md), copied into the fixture apps as is.
export async function memberTokensFromSession(auth, sessionToken, redirectUri) {
  const oauthData = auth.generateOAuthData(redirectUri);
  const { authUrl } = await auth.getAuthUrl(oauthData, { prompt: 'none', responseMode: 'query', sessionToken });
  const reply = await fetch(authUrl, { redirect: 'manual' });
  const location = reply.headers.get('location');
  if (!location) throw new Error(`the auth URL answered ${reply.status} without a redirect`);
  const { code, state, error } = auth.parseFromUrl(location, 'query');
  if (error) throw new Error(`the auth server refused: ${error}`);
  return auth.getMemberTokens(code, state, oauthData);
}
