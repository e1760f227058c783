// The minute sweeps of the webhook apply and the outbox relay queue each tenant's own job (singleton per
// tenant) and do no work themselves. Before, a sweep applied a tenant's inbox beside that tenant's own
// running job: two runners on the same deliveries (issue 15's webhook bench found 7–12 % of the batch
// writes redone one by one because the other runner had changed the record meanwhile).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../src/job-names.ts';
import { shopifyApplyWebhooksJob, shopifyOutboxJob } from '../../src/jobs/shopify-sync.ts';
import { expectOk, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'sweep-one-runner.myshopify.com';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '53', '--products', '2', '--customers', '0', '--orders', '0']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

interface EmuProduct {
  id: number;
  title: string;
}
interface ApiProduct {
  id: string;
  title: string;
  version: number;
}

/** Takes the queue's due jobs as a busy worker elsewhere would: they are active until completed. */
async function takeQueued(name: string): Promise<{ id: string; data: unknown }[]> {
  const lag = Date.now() - h.bossClock.now(); // jobs are due by the database's clock
  if (lag > 0) await h.bossClock.tick(lag + 1);
  return h.boss.fetch<object>(name, { batchSize: 10 });
}

async function queuedData(name: string): Promise<unknown[]> {
  const { rows } = await h.t.db.query<{ data: unknown }>(
    `select data from pgboss.job where name = $1 and state = 'created' order by created_on`,
    [name],
  );
  return rows.map((r) => r.data);
}

const remoteProducts = async () =>
  (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=10`)).products;

async function localProduct(title: string): Promise<ApiProduct | undefined> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?limit=50`);
  expectOk(res);
  return res.body.items.find((p) => p.title === title);
}

describe("a minute sweep queues each tenant's own job and never works beside it", () => {
  it("webhook apply: the sweep leaves the deliveries to the tenant's job, queued after the running one", async () => {
    await h.settle();
    const remote = (await remoteProducts())[0] as EmuProduct;
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${remote.id}`, { title: 'Swept once' });
    await h.emu.control('POST', '/webhooks/drain'); // delivered: stored pending, the tenant's job queued
    const [running, ...others] = await takeQueued(JOBS.shopifyApplyWebhooks);
    expect(others).toEqual([]);
    expect(running?.data).toEqual({ tenantId: h.t.a.tenantId });

    await shopifyApplyWebhooksJob.handle({}, h.t.deps, undefined as never); // the minute sweep

    const { rows } = await h.t.db.query<{ state: string }>(
      `select state from shopify_webhook_inbox where tenant_id = $1 and body->>'title' = 'Swept once'`,
      [h.t.a.tenantId],
    );
    expect(rows.map((r) => r.state)).toEqual(['pending']);
    expect(await queuedData(JOBS.shopifyApplyWebhooks)).toEqual([{ tenantId: h.t.a.tenantId }]);

    await h.boss.complete(JOBS.shopifyApplyWebhooks, (running as { id: string }).id);
    await h.settle();
    expect(await localProduct('Swept once')).toBeDefined();
  });

  it("outbox relay: the sweep leaves the changes to the tenant's relay, queued after the running one", async () => {
    await h.settle();
    const local = (await h.api<{ items: ApiProduct[] }>('GET', '/api/products?limit=50')).body.items[0];
    if (!local) throw new Error('no imported product');
    expectOk(await h.api('PATCH', `/api/products/${local.id}`, { title: 'Relayed once' }));
    const [running, ...others] = await takeQueued(JOBS.shopifyOutbox);
    expect(others).toEqual([]);
    expect(running?.data).toEqual({ tenantId: h.t.a.tenantId });

    await shopifyOutboxJob.handle({}, h.t.deps, undefined as never); // the minute sweep

    const { rows } = await h.t.db.query<{ n: number }>(
      `select count(*)::int as n from changes
        where tenant_id = $1 and entity_id = $2 and origin <> 'shopify' and relayed_at is null`,
      [h.t.a.tenantId, local.id],
    );
    expect(rows[0]?.n).toBe(1);
    expect(await queuedData(JOBS.shopifyOutbox)).toEqual([{ tenantId: h.t.a.tenantId }]);

    await h.boss.complete(JOBS.shopifyOutbox, (running as { id: string }).id);
    await h.settle();
    expect((await remoteProducts()).map((p) => p.title)).toContain('Relayed once');
  });
});
