import { z } from 'zod';
import type { ShopifyConnection } from '../../db/shopify-connections.ts';
import { missingScopes } from '../../shopify/oauth.ts';

export const connectBody = z.strictObject({ shop: z.string().min(1).max(255) });
export const connectReply = z.object({ authorize_url: z.string(), shop: z.string() });

export const connectionJson = z.object({
  state: z.enum([
    'not_connected',
    'disconnected',
    'connecting',
    'importing',
    'syncing',
    'error_auth',
    'error',
  ]),
  shop: z.string().nullable(),
  state_reason: z.string().nullable(),
  requested_scopes: z.array(z.string()),
  granted_scopes: z.array(z.string()),
  missing_scopes: z.array(z.string()),
  api_version: z.string().nullable(),
  connected_at: z.string().nullable(),
  demo_shop: z
    .string()
    .nullable()
    .describe(
      'The demo store to connect when Retailos runs its Shopify emulator (`start` without credentials); null otherwise',
    ),
});

export function connectionToJson(
  c: ShopifyConnection | undefined,
  demoShop: string | null = null,
): z.infer<typeof connectionJson> {
  if (!c) {
    return {
      state: 'not_connected',
      shop: null,
      state_reason: null,
      requested_scopes: [],
      granted_scopes: [],
      missing_scopes: [],
      api_version: null,
      connected_at: null,
      demo_shop: demoShop,
    };
  }
  const live = c.state !== 'disconnected' && c.state !== 'connecting';
  return {
    state: c.state,
    shop: c.shop,
    state_reason: c.stateReason,
    requested_scopes: c.requestedScopes,
    granted_scopes: c.grantedScopes,
    missing_scopes: live ? missingScopes(c.requestedScopes, c.grantedScopes) : [],
    api_version: c.apiVersion,
    connected_at: c.connectedAt?.toISOString() ?? null,
    demo_shop: demoShop,
  };
}
