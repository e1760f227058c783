import { createManualClock, startEmulator, type RunningEmulator } from '../../src/index.ts';
import { createWebhookSubscription, findShop, type ShopData } from '../../src/store/index.ts';
import { topicEnum } from '../../src/webhooks/topics.ts';
import { post } from './http.ts';

export const TOKEN = 'shpat_test_token';

/** A running emulator on port 0 with a manual clock, the app installed with TOKEN, webhooks drained by hand. */
export async function emulatorWorld(shop = 'world-shop', extra: Parameters<typeof startEmulator>[0] = {}) {
  const clock = createManualClock(Date.now());
  const running: RunningEmulator = await startEmulator({
    shops: [shop],
    products: 3,
    customers: 2,
    orders: 2,
    accessToken: TOKEN,
    clock,
    autoDeliver: false,
    ...extra,
  });
  const domain = `${shop}.myshopify.com`;
  const shopData = findShop(running.emulator.store, domain) as ShopData;
  const control = (path: string, body: unknown = {}) => post(`${running.url}/_emulator${path}`, body);
  const subscribe = (topic: string, uri: string, apiVersion = '2026-04') =>
    createWebhookSubscription(running.emulator.store, shopData, {
      appKey: running.emulator.options.apiKey,
      topic: topicEnum(topic),
      uri,
      format: 'JSON',
      includeFields: [],
      metafieldNamespaces: [],
      filter: null,
      name: null,
      apiVersion,
    });
  const drain = () => control('/webhooks/drain');
  return {
    running,
    clock,
    domain,
    shop: shopData,
    origin: running.shopOrigin(domain),
    control,
    subscribe,
    drain,
  };
}
