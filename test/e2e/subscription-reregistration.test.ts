import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopifySubscriptionsCheckJob, shopifyWebhooksReregisterJob } from '../../src/jobs/shopify-sync.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'subscription-recheck.myshopify.com';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '8', '--products', '1', '--customers', '1', '--orders', '1'], {
    schedule: true,
  });
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function ourSubscription(topic: string): Promise<string | undefined> {
  const { rows } = await h.t.db.query<{ subscription_gid: string }>(
    `select subscription_gid from shopify_webhook_subscriptions where tenant_id = $1 and topic = $2`,
    [h.t.a.tenantId, topic],
  );
  return rows[0]?.subscription_gid;
}

async function shopifyTopics(): Promise<string[]> {
  const shop = await h.emu.control<{ webhookSubscriptions: { topic: string }[] }>('GET', `/shops/${SHOP}`);
  return shop.webhookSubscriptions.map((s) => s.topic);
}

describe('subscriptions Shopify dropped', () => {
  it('are found missing and registered again by the scheduled check within minutes, not an hour', async () => {
    // The queue's clock at 20 past the hour; any run that jump made due happens before the drop.
    const start = new Date(Math.max(Date.now(), h.bossClock.now()) + 3_600_000);
    start.setUTCMinutes(20, 0, 0);
    await h.bossClock.setTime(start);
    await h.bossClock.tick(60_000);
    await drainQueue(h.boss, shopifySubscriptionsCheckJob as never, h.t.deps as never);

    const dropped = (await ourSubscription('CUSTOMERS_UPDATE')) as string;
    await h.emu.control('DELETE', `/shops/${SHOP}/webhook-subscriptions/${dropped.split('/').pop()}`);
    expect(await shopifyTopics()).not.toContain('CUSTOMERS_UPDATE');

    // Six minutes on (21:00 → 27:00): a schedule of every few minutes fires, an hourly one does not.
    await h.bossClock.tick(6 * 60_000);
    expect(await drainQueue(h.boss, shopifySubscriptionsCheckJob as never, h.t.deps as never)).toBe(1);
    // The check found it missing (Sync Health says so) and queued its re-registration.
    const health = await h.api<{ subscriptions: { topic: string; state: string }[] }>(
      'GET',
      '/api/shopify/health',
    );
    expect(health.body.subscriptions.find((s) => s.topic === 'CUSTOMERS_UPDATE')?.state).toBe('missing');
    expect(await drainQueue(h.boss, shopifyWebhooksReregisterJob as never, h.t.deps as never)).toBe(1);

    expect(await shopifyTopics()).toContain('CUSTOMERS_UPDATE');
    const again = await ourSubscription('CUSTOMERS_UPDATE');
    expect(again).toBeDefined();
    expect(again).not.toBe(dropped);
  });
});
