import { nowSeconds } from './clock.ts';
import { emitChange, type Store } from './store.ts';
import type { AppInstallation, ShopData } from './types.ts';

/**
 * Records (or re-records with new scopes) an app installation on a shop.
 * Tokens are the OAuth part's business; this only says which app has which scopes.
 */
export function installApp(store: Store, shop: ShopData, apiKey: string, scopes: string[]): AppInstallation {
  const existing = shop.apps.get(apiKey);
  const installation: AppInstallation = {
    apiKey,
    scopes: [...new Set(scopes)].sort(),
    installedAt: existing?.installedAt ?? nowSeconds(store.clock),
  };
  shop.apps.set(apiKey, installation);
  emitChange(store, {
    shop: shop.domain,
    kind: 'app',
    action: existing ? 'update' : 'create',
    id: apiKey,
    at: nowSeconds(store.clock),
  });
  return installation;
}

/**
 * Removes an installation and the webhook subscriptions the app created
 * (Shopify deletes them on uninstall). Returns false when it was not installed.
 */
export function uninstallApp(store: Store, shop: ShopData, apiKey: string): boolean {
  if (!shop.apps.delete(apiKey)) return false;
  for (const [id, sub] of shop.webhookSubscriptions)
    if (sub.appKey === apiKey) shop.webhookSubscriptions.delete(id);
  emitChange(store, {
    shop: shop.domain,
    kind: 'app',
    action: 'delete',
    id: apiKey,
    at: nowSeconds(store.clock),
  });
  return true;
}
