import { createManualClock } from '../../src/control/clock.ts';
import { createSeededRandom } from '../../src/control/random.ts';
import { createFaults } from '../../src/faults/faults.ts';
import {
  createShop,
  createStore,
  createWebhookSubscription,
  installApp,
  type ShopData,
  type Store,
} from '../../src/store/index.ts';
import { DEFAULT_WEBHOOK_CONCURRENCY } from '../../src/webhooks/delivery-queue.ts';
import { WebhookService } from '../../src/webhooks/webhook-service.ts';
import { topicEnum } from '../../src/webhooks/topics.ts';
import type { DeliverySender } from '../../src/webhooks/delivery-types.ts';

export const APP_KEY = 'test-app-key';
export const APP_SECRET = 'test-app-secret';

export function webhookWorld(
  sender: DeliverySender,
  opts: { timeScale?: number; seed?: number; concurrency?: number } = {},
) {
  const clock = createManualClock();
  const store: Store = createStore(clock);
  const shop: ShopData = createShop(store, { domain: 'hooks-shop', locationNames: ['Main', 'Back room'] });
  installApp(store, shop, APP_KEY, ['write_products', 'write_orders', 'write_customers', 'write_inventory']);
  const faults = createFaults(opts.seed ?? 7);
  const errors: unknown[] = [];
  const webhooks = new WebhookService({
    store,
    clock,
    faults,
    ids: createSeededRandom(opts.seed ?? 7),
    appSecret: (key) => (key === APP_KEY ? APP_SECRET : undefined),
    sender,
    timeScale: () => opts.timeScale ?? 1,
    concurrency: () => opts.concurrency ?? DEFAULT_WEBHOOK_CONCURRENCY,
    realNow: () => 0,
    onError: (err) => errors.push(err),
  });
  const subscribeTopic = (
    topic: string,
    apiVersion = '2026-04',
    uri = 'https://app.test/webhooks',
    includeFields: string[] = [],
  ) =>
    createWebhookSubscription(store, shop, {
      appKey: APP_KEY,
      topic: topicEnum(topic),
      uri,
      format: 'JSON',
      includeFields,
      metafieldNamespaces: [],
      filter: null,
      name: null,
      apiVersion,
    });
  return { clock, store, shop, faults, webhooks, errors, subscribeTopic };
}
