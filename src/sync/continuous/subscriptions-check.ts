import type { CoreDeps } from '../../deps.ts';
import { shopSessionFor } from '../shop-session.ts';
import { shopifyDeps } from '../shopify-deps.ts';
import { registerWebhooks } from '../webhook-registration.ts';

/**
 * Lists the shop's subscriptions on Shopify and registers again any that are missing (Shopify deletes
 * shop-specific subscriptions that keep failing). Returns how many it re-registered; each one is
 * stamped so Sync Health shows it.
 */
export async function checkSubscriptions(deps: CoreDeps, tenantId: string): Promise<number> {
  const s = shopifyDeps(deps);
  const session = await shopSessionFor(deps, tenantId, 'background');
  if (!s || !session) return 0;
  const created = await registerWebhooks(
    deps.db,
    s.shopifyApp,
    { tenantId, shop: session.shop, accessToken: session.accessToken },
    deps.clock.now(),
  );
  if (created > 0) deps.logger.warn({ tenantId, created }, 'missing webhook subscriptions registered again');
  return created;
}

export async function syncingTenants(deps: CoreDeps): Promise<string[]> {
  const { rows } = await deps.db.query<{ tenant_id: string }>(
    `select tenant_id from shopify_connections where state = 'syncing'`,
  );
  return rows.map((r) => r.tenant_id);
}
