import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test-support/db.ts';
import { insertTenant } from '../../../test-support/tenant.ts';
import { linkIds, localIdsOf, type IdMapEntity } from '../../db/shopify-id-map.ts';
import {
  pendingEntityDeliveries,
  settleDeliveries,
  storeShopDelivery,
} from '../../db/shopify-webhook-inbox.ts';
import {
  customerFromWebhook,
  deletedFromWebhook,
  inventoryLevelFromWebhook,
  type Mapped,
} from '../../domain/shopify-map/index.ts';

/**
 * Shopify ids are unsigned 64-bit integers. From the body Shopify sends (digits, never a JS number),
 * through the inbox (stored, read back) and the converters to a GID, then into the local id map and
 * back: every digit survives, for any id up to 2^64 − 1.
 */
const SHOP = 'ids.myshopify.com';
const MAX = 2n ** 64n - 1n;

let t: TestDb;
let tenantId: string;
beforeAll(async () => {
  t = await openTestDb();
  tenantId = await insertTenant(t.db);
  await t.db.query(
    `insert into shopify_connections (tenant_id, shop, state, api_version, access_token_sealed)
     values ($1, $2, 'syncing', '2026-04', 'v1.sealed-token')`,
    [tenantId, SHOP],
  );
});
afterAll(async () => {
  await t.close();
});

interface Shape {
  topic: string;
  entity: IdMapEntity;
  /** The raw body naming `id` (and `other` where the payload names two records). */
  body(id: bigint, other: bigint): string;
  gid(body: unknown): Mapped<string>;
  expected(id: bigint, other: bigint): string;
}

const map = <T>(m: Mapped<T>, f: (v: T) => string): Mapped<string> =>
  m.ok ? { ok: true, value: f(m.value) } : m;

const SHAPES: Shape[] = [
  {
    // A deletion carries only the numeric id.
    topic: 'products/delete',
    entity: 'product',
    body: (id) => `{"id":${id}}`,
    gid: (b) => map(deletedFromWebhook(b, 'Product'), (v) => v.gid),
    expected: (id) => `gid://shopify/Product/${id}`,
  },
  {
    // admin_graphql_api_id is the exact id; the numeric `id` beside it may be anything JSON made of it.
    topic: 'customers/update',
    entity: 'customer',
    body: (id) =>
      `{"id":${id},"admin_graphql_api_id":"gid://shopify/Customer/${id}","email":"a@b.c","updated_at":"2026-05-01T10:00:00-04:00"}`,
    gid: (b) => map(customerFromWebhook(b), (v) => v.gid),
    expected: (id) => `gid://shopify/Customer/${id}`,
  },
  {
    // A stock level names its item and location by numeric ids only.
    topic: 'inventory_levels/update',
    entity: 'inventory_item',
    body: (id, other) =>
      `{"inventory_item_id":${id},"location_id":${other},"available":3,"updated_at":"2026-05-01T10:00:00-04:00"}`,
    gid: (b) => map(inventoryLevelFromWebhook(b), (v) => `${v.inventoryItemGid} ${v.locationGid}`),
    expected: (id, other) => `gid://shopify/InventoryItem/${id} gid://shopify/Location/${other}`,
  },
];

describe('64-bit ids from webhook to local id map', () => {
  it('every id up to 2^64 − 1 keeps every digit: stored delivery → GID → id map → same local id', async () => {
    const id = fc.oneof(
      fc.bigInt({ min: 1n, max: MAX }),
      fc.bigInt({ min: 2n ** 53n - 2n, max: 2n ** 53n + 2n }),
      fc.constantFrom(MAX, MAX - 1n, 788032119674292922n),
    );
    const linked = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SHAPES), id, id, async (shape, n, other) => {
        await storeShopDelivery(t.db, {
          webhookId: randomUUID(),
          eventId: null,
          topic: shape.topic,
          shop: SHOP,
          apiVersion: '2026-04',
          triggeredAt: null,
          receivedAt: new Date(),
          rawBody: shape.body(n, other),
          state: 'pending',
        });
        const [row] = await pendingEntityDeliveries(t.db, tenantId, [], 1, new Date());
        if (!row) throw new Error('the delivery was not stored');
        await settleDeliveries(t.db, [row.id], 'applied', new Date());

        const gid = shape.gid(row.body);
        expect(gid).toEqual({ ok: true, value: shape.expected(n, other) });
        const first = (gid as { value: string }).value.split(' ')[0] as string;
        // A GID keeps its first link (ids repeat across runs): the map answers that one.
        const localId = linked.get(first) ?? randomUUID();
        linked.set(first, localId);
        await linkIds(t.db, tenantId, shape.entity, [{ gid: first, localId }], new Date());
        const found = await localIdsOf(t.db, tenantId, shape.entity, [first]);
        expect(found.get(first)).toBe(localId);
      }),
      { numRuns: 150 },
    );
  });

  it('a body whose id JSON.parse would round is not rounded: 2^53 + 1 stays odd', async () => {
    const n = 2n ** 53n + 1n;
    await storeShopDelivery(t.db, {
      webhookId: randomUUID(),
      eventId: null,
      topic: 'orders/delete',
      shop: SHOP,
      apiVersion: '2026-04',
      triggeredAt: null,
      receivedAt: new Date(),
      rawBody: `{"id":${n}}`,
      state: 'pending',
    });
    const [row] = await pendingEntityDeliveries(t.db, tenantId, [], 1, new Date());
    expect(row?.body).toEqual({ id: n });
    expect(deletedFromWebhook(row?.body, 'Order')).toEqual({
      ok: true,
      value: { gid: 'gid://shopify/Order/9007199254740993' },
    });
  });
});
