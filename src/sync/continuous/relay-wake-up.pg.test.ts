// A write wakes the outbox relay whoever makes it: core tells `changesRecorded` once the write
// committed, and the composition root queues the tenant's relay with it. Before, an HTTP hook (onSend)
// did, so a write from the CLI or a job waited for the relay's minute sweep.
import { randomBytes } from 'node:crypto';
import type { PgBoss, TestClock } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, updateProduct } from '../../core/products.ts';
import { writeContextOf } from '../../core/write-context.ts';
import { JOBS } from '../../job-names.ts';
import { shopifyOutboxJob } from '../../jobs/shopify-sync.ts';
import { createSecretBox } from '../../shopify/secret-box.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { startTestBoss } from '../../../test-support/import-jobs.ts';
import { requestedScopes } from '../shopify-deps.ts';

let t: TestApp;
let boss: PgBoss;
let clock: TestClock;

beforeAll(async () => {
  t = await createTestApp({
    // Wired to a Shopify that is never reached: no store is connected, the relay only marks changes handed.
    shopify: {
      app: {
        apiKey: 'key',
        apiSecret: 'secret',
        appUrl: 'http://127.0.0.1:9',
        shopOriginTemplate: 'http://127.0.0.1:9/{shop}',
        apiVersion: '2026-04',
        scopes: requestedScopes(false),
      },
      secretBox: createSecretBox(randomBytes(32), randomBytes),
    },
  });
  ({ boss, clock } = await startTestBoss(t, [shopifyOutboxJob]));
}, 120_000);

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await t?.close();
});

/** The relay jobs queued so far (taken off the queue, so each test sees its own). */
async function relaysQueued(): Promise<unknown[]> {
  const lag = Date.now() - clock.now(); // jobs are due by the database's clock
  if (lag > 0) await clock.tick(lag + 1);
  const jobs = await boss.fetch<object>(JOBS.shopifyOutbox, { batchSize: 10 });
  if (jobs.length > 0)
    await boss.complete(
      JOBS.shopifyOutbox,
      jobs.map((j) => j.id),
    );
  return jobs.map((j) => j.data);
}

const input = (title: string) => ({ title, variants: [{ sku: `SKU-${title}`, price: '5.00' }] });

describe('the outbox relay is woken where changes are recorded', () => {
  it('a write outside HTTP (the CLI, a job) queues its tenant’s relay once it committed', async () => {
    expect(await relaysQueued()).toEqual([]);
    await createProduct(t.db, writeContextOf(t.deps, t.a.tenantId, 'system'), input('cli'));
    expect(await relaysQueued()).toEqual([{ tenantId: t.a.tenantId }]);
  });

  it('an API write still does, before its answer goes out', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/products',
      headers: t.bearer(t.b),
      payload: { title: 'api', variants: [{ sku: 'SKU-api', price: '5.00' }] },
    });
    expect(res.statusCode).toBe(201);
    expect(await relaysQueued()).toEqual([{ tenantId: t.b.tenantId }]);
  });

  it('Shopify’s own writes wake nothing, nor does a write in a process with no Shopify wiring', async () => {
    const p = await createProduct(t.db, writeContextOf(t.deps, t.a.tenantId, 'system'), input('quiet'));
    await relaysQueued();
    await updateProduct(t.db, writeContextOf(t.deps, t.a.tenantId, 'shopify'), p.id, {
      title: 'from Shopify',
    });
    expect(await relaysQueued()).toEqual([]);
    const wiring = t.deps.shopify.get();
    t.deps.shopify.set(undefined);
    try {
      await updateProduct(t.db, writeContextOf(t.deps, t.a.tenantId, 'system'), p.id, { title: 'unwired' });
      expect(await relaysQueued()).toEqual([]);
    } finally {
      t.deps.shopify.set(wiring);
    }
  });
});
