import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifySubscriptionsCheckJob, shopifyWebhooksReregisterJob } from '../../src/jobs/shopify-sync.ts';
import { expectOk, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'sync-health.myshopify.com';

interface Health {
  connection: { shop: string; state: string } | null;
  subscriptions: {
    topic: string;
    state: string;
    deliveries_24h: number;
    failures_24h: number;
    last_delivery_at: string | null;
    lag_p50_ms: number | null;
    lag_p95_ms: number | null;
    lag_p99_ms: number | null;
    reregistered_at: string | null;
    missing_since: string | null;
    backfill: { from: string; at: string | null; records: number | null; note: string | null } | null;
  }[];
  verdict: { level: string; summary: string; reasons: string[] };
  import: { state: string; done: number; total: number | null } | null;
  reconciliation: { last: unknown; next_at: string | null };
  unknown_topics_24h: number;
  inbox: { pending: number };
  outbox: { waiting: number };
  dead_letters: { open: number };
  throttle: { maximum_available: number; calls: number; points_spent: number } | null;
  import_state: string | null;
}
interface HistoryEntry {
  display_name: string;
  direction: string;
  origin: string;
  diff: { path: string; before: unknown; after: unknown }[];
}
interface EmuProduct {
  id: number;
  title: string;
  variants: { sku: string | null }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '44', '--products', '3', '--customers', '1', '--orders', '1']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function health(): Promise<Health> {
  const res = await h.api<Health>('GET', '/api/shopify/health');
  expectOk(res);
  return res.body;
}

/**
 * The re-registration is queued inside the check's transaction, so its start time is the database's
 * now(): the queue's test clock catches up before draining it (as the harness's settle does).
 */
async function dueNow(): Promise<void> {
  const lag = Date.now() - h.bossClock.now();
  if (lag > 0) await h.bossClock.tick(lag + 1);
}

describe('sync health and history', () => {
  it('shows each subscription with its deliveries and lag, the queues, dead letters and the cost budget', async () => {
    const [p] = (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products`)).products;
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${p?.id}`, { title: 'Health check title' });
    await h.settle();
    // A local edit: its push spends points from the shop's cost budget.
    const [c] = (await h.api<{ items: { id: string }[] }>('GET', '/api/customers')).body.items;
    expectOk(await h.api('PATCH', `/api/customers/${c?.id}`, { note: 'spends points' }));
    await h.settle();
    // An unknown topic, signed correctly: acknowledged, ignored, counted.
    const body = JSON.stringify({ id: 1 });
    const hmac = createHmac('sha256', 'shpss_sync_secret').update(body).digest('base64');
    const res = await h.t.app.inject({
      method: 'POST',
      url: '/webhooks/shopify',
      headers: {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': hmac,
        'x-shopify-topic': 'carts/create',
        'x-shopify-shop-domain': SHOP,
        'x-shopify-webhook-id': randomUUID(),
      },
      payload: body,
    });
    expect(res.statusCode).toBe(200);

    const got = await health();
    expect(got.connection).toMatchObject({ shop: SHOP, state: 'syncing' });
    expect(got.import_state).toBe('completed');
    const updates = got.subscriptions.find((s) => s.topic === 'PRODUCTS_UPDATE');
    expect(updates).toMatchObject({ state: 'active', failures_24h: 0 });
    expect(updates?.deliveries_24h).toBeGreaterThanOrEqual(1);
    expect(updates?.last_delivery_at).not.toBeNull();
    expect(updates?.lag_p50_ms).not.toBeNull();
    // p99 from X-Shopify-Triggered-At, never below the median.
    expect(updates?.lag_p99_ms).not.toBeNull();
    expect(updates!.lag_p99_ms!).toBeGreaterThanOrEqual(updates!.lag_p95_ms!);
    expect(updates!.lag_p95_ms!).toBeGreaterThanOrEqual(updates!.lag_p50_ms!);
    expect(got.verdict).toEqual({
      level: 'healthy',
      summary: 'Healthy: every webhook active, nothing waiting',
      reasons: ['Healthy: every webhook active, nothing waiting'],
    });
    expect(got.import).toMatchObject({ state: 'completed' });
    expect(got.import?.done).toBe(got.import?.total);
    // No reconciliation has run yet; the daily one is due at :07 of the shop's hour, within a day.
    expect(got.reconciliation.last).toBeNull();
    const next = new Date(got.reconciliation.next_at as string);
    expect(next.getUTCMinutes()).toBe(7);
    expect(next.getTime() - h.t.clock.now().getTime()).toBeGreaterThan(0);
    expect(next.getTime() - h.t.clock.now().getTime()).toBeLessThanOrEqual(24 * 3_600_000);
    expect(got.subscriptions.every((s) => s.state === 'active')).toBe(true);
    expect(got.unknown_topics_24h).toBe(1);
    expect(got.inbox.pending).toBe(0);
    expect(got.outbox.waiting).toBe(0);
    expect(got.dead_letters.open).toBe(0);
    expect(got.throttle?.maximum_available).toBe(2000);
    expect(got.throttle?.calls).toBeGreaterThan(0);
  });

  it('a subscription Shopify dropped shows as missing, is registered again, and what changed meanwhile is back-filled', async () => {
    const { rows } = await h.t.db.query<{ subscription_gid: string }>(
      `select subscription_gid from shopify_webhook_subscriptions where tenant_id = $1 and topic = 'CUSTOMERS_UPDATE'`,
      [h.t.a.tenantId],
    );
    const gid = rows[0]?.subscription_gid as string;
    await h.emu.control('DELETE', `/shops/${SHOP}/webhook-subscriptions/${gid.split('/').pop()}`);
    // Changed on Shopify while the subscription is gone: no webhook tells Retailos.
    const [c] = (await h.emu.control<{ customers: { id: number }[] }>('GET', `/shops/${SHOP}/customers`))
      .customers;
    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${c?.id}`, { note: 'while the webhook was gone' });
    await h.settle();
    const notes = async () =>
      (await h.api<{ items: { note: string }[] }>('GET', '/api/customers')).body.items.map((x) => x.note);
    expect(await notes()).not.toContain('while the webhook was gone');
    const deliveriesBefore = (await health()).subscriptions.find(
      (s) => s.topic === 'CUSTOMERS_UPDATE',
    )?.deliveries_24h;

    await h.boss.send(shopifySubscriptionsCheckJob.name, { tenantId: h.t.a.tenantId });
    expect(await drainQueue(h.boss, shopifySubscriptionsCheckJob as never, h.t.deps as never)).toBe(1);
    const missing = await health();
    expect(missing.subscriptions.find((s) => s.topic === 'CUSTOMERS_UPDATE')).toMatchObject({
      state: 'missing',
      backfill: { at: null, records: null },
    });
    expect(missing.subscriptions.find((s) => s.topic === 'CUSTOMERS_UPDATE')?.missing_since).not.toBeNull();
    expect(missing.verdict).toMatchObject({
      level: 'attention',
      summary: '1 webhook missing — re-registering',
    });

    await dueNow();
    expect(await drainQueue(h.boss, shopifyWebhooksReregisterJob as never, h.t.deps as never)).toBe(1);
    const after = await h.t.db.query<{ subscription_gid: string }>(
      `select subscription_gid from shopify_webhook_subscriptions where tenant_id = $1 and topic = 'CUSTOMERS_UPDATE'`,
      [h.t.a.tenantId],
    );
    expect(after.rows[0]?.subscription_gid).not.toBe(gid);
    await h.settle();
    const healed = await health();
    const sub = healed.subscriptions.find((s) => s.topic === 'CUSTOMERS_UPDATE');
    expect(sub).toMatchObject({ state: 'active', missing_since: null, backfill: { note: null } });
    expect(sub?.reregistered_at).not.toBeNull();
    expect(sub?.backfill?.at).not.toBeNull();
    expect(sub?.backfill?.records).toBeGreaterThanOrEqual(1);
    // Back-filled pointers are applied, but are not deliveries from Shopify.
    expect(sub?.deliveries_24h).toBe(deliveriesBefore);
    expect(healed.verdict.level).toBe('healthy');
    expect(await notes()).toContain('while the webhook was gone');
    // The re-created subscription delivers again.
    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${c?.id}`, { note: 'after re-registration' });
    await h.settle();
    expect(await notes()).toContain('after re-registration');
  });

  it('product changes and deletions made while their webhooks were gone are back-filled; stock and customer deletions say why not', async () => {
    const gids = await h.t.db.query<{ topic: string; subscription_gid: string }>(
      `select topic, subscription_gid from shopify_webhook_subscriptions
        where tenant_id = $1 and topic in ('PRODUCTS_UPDATE', 'PRODUCTS_DELETE', 'INVENTORY_LEVELS_UPDATE', 'CUSTOMERS_DELETE')`,
      [h.t.a.tenantId],
    );
    for (const r of gids.rows)
      await h.emu.control(
        'DELETE',
        `/shops/${SHOP}/webhook-subscriptions/${r.subscription_gid.split('/').pop()}`,
      );
    const products = (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products`))
      .products;
    const [, edited, deleted] = products;
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${edited?.id}`, { title: 'Renamed while unheard' });
    await h.emu.control('DELETE', `/shops/${SHOP}/products/${deleted?.id}`);
    await h.settle();
    const titles = async () =>
      (await h.api<{ items: { title: string }[] }>('GET', '/api/products?limit=100')).body.items.map(
        (p) => p.title,
      );
    expect(await titles()).toContain(deleted?.title);
    expect(await titles()).not.toContain('Renamed while unheard');

    await h.boss.send(shopifySubscriptionsCheckJob.name, { tenantId: h.t.a.tenantId });
    expect(await drainQueue(h.boss, shopifySubscriptionsCheckJob as never, h.t.deps as never)).toBe(1);
    expect((await health()).verdict.summary).toBe('4 webhooks missing — re-registering');
    await dueNow();
    expect(await drainQueue(h.boss, shopifyWebhooksReregisterJob as never, h.t.deps as never)).toBe(1);
    await h.settle();

    const got = await health();
    const by = (topic: string) => got.subscriptions.find((s) => s.topic === topic);
    expect(by('PRODUCTS_UPDATE')).toMatchObject({ state: 'active', backfill: { note: null } });
    expect(by('PRODUCTS_UPDATE')?.backfill?.records).toBeGreaterThanOrEqual(1);
    expect(by('PRODUCTS_DELETE')).toMatchObject({ state: 'active', backfill: { records: 1, note: null } });
    expect(by('INVENTORY_LEVELS_UPDATE')?.backfill?.note).toMatch(/^Shopify lists no stock changes by date/);
    expect(by('CUSTOMERS_DELETE')?.backfill?.note).toBe(
      'Shopify lists no deleted customers by date: not back-filled',
    );
    expect(await titles()).toContain('Renamed while unheard');
    expect(await titles()).not.toContain(deleted?.title);
    expect(got.verdict.level).toBe('healthy');
  });

  it('Sync History is searchable by SKU and by title', async () => {
    const [p] = (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products`)).products;
    const sku = p?.variants[0]?.sku as string;
    const bySku = await h.api<{ items: HistoryEntry[] }>(
      'GET',
      `/api/shopify/history?q=${encodeURIComponent(sku)}`,
    );
    expectOk(bySku);
    expect(bySku.body.items.length).toBeGreaterThanOrEqual(1);
    expect(bySku.body.items[0]).toMatchObject({ display_name: 'Health check title', direction: 'inbound' });
    const byTitle = await h.api<{ items: HistoryEntry[] }>('GET', '/api/shopify/history?q=health%20CHECK');
    expect(byTitle.body.items.map((e) => e.display_name)).toContain('Health check title');
    const none = await h.api<{ items: HistoryEntry[] }>('GET', '/api/shopify/history?q=%25');
    expect(none.body.items).toEqual([]);
  });
});
