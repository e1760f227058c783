import type { CoreDeps } from '../deps.ts';
import type { AdminClientConfig } from '../shopify/graphql-client.ts';
import type { CallPriority, ShopLimiter } from '../shopify/limiter.ts';
import { liveAccessToken } from './access-token.ts';
import { shopifyDeps } from './shopify-deps.ts';

/** What one call to a connected shop needs: where, which version, and a live token. */
export interface ShopSession {
  cfg: AdminClientConfig;
  shop: string;
  accessToken: string;
  /** The shop's shared cost budget: every call waits for its points (absent: calls go straight out). */
  limit?:
    | {
        limiter: ShopLimiter;
        tenantId: string;
        priority: CallPriority;
        /** Calls go out now or not at all (a write decided on a read: LimitedCallOptions.noWait). */
        noWait?: boolean;
      }
    | undefined;
}

/**
 * The tenant's live session, or undefined when the shop is not connected. Throws ShopifyNotWiredError
 * when this process has no Shopify wiring (a job retries; a push waits in the outbox).
 */
export async function shopSessionFor(
  deps: CoreDeps,
  tenantId: string,
  priority: CallPriority = 'live',
): Promise<ShopSession | undefined> {
  const s = shopifyDeps(deps);
  const live = await liveAccessToken(s, tenantId);
  if (!live) return undefined;
  return {
    cfg: { shopOriginTemplate: s.shopifyApp.shopOriginTemplate, apiVersion: s.shopifyApp.apiVersion },
    shop: live.shop,
    accessToken: live.accessToken,
    limit: deps.limiter ? { limiter: deps.limiter, tenantId, priority } : undefined,
  };
}
