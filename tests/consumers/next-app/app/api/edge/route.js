// A route handler on the Edge runtime: Next.js resolves the package with `edge-light` (edge.js).
// It mints its own visitor (memory storage), so the wasm module demonstrably runs on the edge.
import { OAuthStrategy } from 'wix-headless-auth';
import { baseUrl, clientId } from '../../wix.js';

export const runtime = 'edge';

export async function GET() {
  const auth = OAuthStrategy({ clientId, baseUrl: baseUrl(), storage: 'memory' });
  const { headers } = await auth.getAuthHeaders();
  return Response.json({ role: auth.getTokens().refreshToken.role, header: headers.Authorization.length > 10 });
}
