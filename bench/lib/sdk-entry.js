// The baseline: what a storefront imports from @wix/sdk for auth. Both symbols go to globalThis so
// that esbuild cannot tree-shake either of them away (the peers' sizes in docs/architecture.md were measured so too).
import { createClient, OAuthStrategy } from '@wix/sdk';
globalThis.createClient = createClient;
globalThis.OAuthStrategy = OAuthStrategy;
