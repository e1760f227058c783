import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { upsertProductBatch } from './product-batch.ts';
import { deleteProductRow } from './products.ts';
import { deleteCustomerRow, insertCustomer } from './customers.ts';
import {
  hasRecentUnlinkedKeylessCustomer,
  linkIds,
  liveLocalIdsOf,
  localIdsOf,
  unlinkedLocalIdByKey,
} from './shopify-id-map.ts';

let t: TestDb;
let tenantId: string;
beforeAll(async () => {
  t = await openTestDb();
  tenantId = await insertTenant(t.db);
});
afterAll(async () => {
  await t.close();
});

const at = new Date('2026-02-01T00:00:00Z');

async function productWithVariant(n: number): Promise<{ productId: string; variantId: string; gid: string }> {
  const productId = randomUUID();
  const variantId = randomUUID();
  await t.db.transaction((tx) =>
    upsertProductBatch(tx, tenantId, 'shopify', [
      {
        id: productId,
        title: `Linked ${n}`,
        handle: `linked-${n}`,
        descriptionHtml: '',
        vendor: '',
        productType: '',
        status: 'active',
        tags: [],
        variants: [
          {
            id: variantId,
            sku: `L-${n}`,
            barcode: null,
            price: '1.00',
            compareAtPrice: null,
            optionValues: [],
            position: 1,
          },
        ],
        createdAt: at,
        updatedAt: at,
      },
    ]),
  );
  const gid = `gid://shopify/ProductVariant/${n}`;
  await linkIds(t.db, tenantId, 'variant', [{ gid, localId: variantId }], at);
  return { productId, variantId, gid };
}

describe('liveLocalIdsOf', () => {
  // The chaos run's seed 2: a product deleted in Retailos keeps its variants' links until Shopify has
  // deleted it too; an order webhook naming one of its variants wrote a line item pointing at a variant
  // that was gone (a foreign key violation: the delivery became a dead letter).
  it("names only variants Retailos still has, though a deleted product's links remain", async () => {
    const kept = await productWithVariant(1);
    const gone = await productWithVariant(2);
    await t.db.transaction((tx) => deleteProductRow(tx, tenantId, gone.productId));

    const linked = await localIdsOf(t.db, tenantId, 'variant', [kept.gid, gone.gid]);
    expect(linked.get(gone.gid), 'the deleted variant is still linked').toBe(gone.variantId);
    expect(await liveLocalIdsOf(t.db, tenantId, 'variant', [kept.gid, gone.gid])).toEqual(
      new Map([[kept.gid, kept.variantId]]),
    );
  });

  // The chaos run: an inventory_levels/update for a variant deleted in Retailos (its inventory item still
  // linked) wrote a level pointing at a variant that was gone.
  it("names only variants Retailos still has by their inventory item's GID", async () => {
    const kept = await productWithVariant(3);
    const gone = await productWithVariant(4);
    const item = (n: number) => `gid://shopify/InventoryItem/${n}`;
    await linkIds(
      t.db,
      tenantId,
      'inventory_item',
      [
        { gid: item(3), localId: kept.variantId },
        { gid: item(4), localId: gone.variantId },
      ],
      at,
    );
    await t.db.transaction((tx) => deleteProductRow(tx, tenantId, gone.productId));
    expect((await localIdsOf(t.db, tenantId, 'inventory_item', [item(3), item(4)])).size).toBe(2);
    expect(await liveLocalIdsOf(t.db, tenantId, 'inventory_item', [item(3), item(4)])).toEqual(
      new Map([[item(3), kept.variantId]]),
    );
  });

  // Seed 11 of the short chaos run: the same with a customer deleted in Retailos, named by a Shopify order.
  it('names only customers Retailos still has', async () => {
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const c = await insertCustomer(
        t.db,
        tenantId,
        {
          email: `c${n}@linked.example`,
          firstName: 'C',
          lastName: String(n),
          phone: null,
          note: '',
          tags: [],
          addresses: [],
        },
        at,
      );
      await linkIds(t.db, tenantId, 'customer', [{ gid: `gid://shopify/Customer/${n}`, localId: c.id }], at);
      ids.push(c.id);
    }
    await deleteCustomerRow(t.db, tenantId, ids[1] as string);
    const gids = ['gid://shopify/Customer/1', 'gid://shopify/Customer/2'];
    expect((await localIdsOf(t.db, tenantId, 'customer', gids)).size).toBe(2);
    expect(await liveLocalIdsOf(t.db, tenantId, 'customer', gids)).toEqual(new Map([[gids[0], ids[0]]]));
  });

  // Issue 16's chaos run (seed 5): an order applied from Shopify while a worker applied its variant's
  // deletion broke order_line_items_variant_id_fkey (a dead letter): the variant was found, then deleted
  // and committed before the line item was written. The rows found are locked (key share: their xmax
  // is this transaction's) until the caller commits; the rows not named are not.
  it('keeps the rows it found locked until the transaction ends', async () => {
    const named = await productWithVariant(7);
    const other = await productWithVariant(8);
    const locked = async (q: Parameters<typeof liveLocalIdsOf>[0], id: string) =>
      (
        await q.query<{ locked: boolean }>(
          `select xmax::text = (pg_current_xact_id()::text::bigint % 4294967296)::text as locked
             from variants where id = $1`,
          [id],
        )
      ).rows[0]?.locked;
    await t.db.transaction(async (tx) => {
      expect(await liveLocalIdsOf(tx, tenantId, 'variant', [named.gid])).toEqual(
        new Map([[named.gid, named.variantId]]),
      );
      expect(await locked(tx, named.variantId)).toBe(true);
      expect(await locked(tx, other.variantId)).toBe(false);
    });
  });
});

const customer = (tenant: string, email: string | null, lastName: string, now = at) =>
  insertCustomer(
    t.db,
    tenant,
    { email, firstName: 'K', lastName, phone: null, note: '', tags: [], addresses: [] },
    now,
  );

// Issue 16, bug 7: Shopify's customers/create (products/create) applied before the creating push linked
// the record finds it by the key the push creates it with — only an unlinked record of the same tenant.
describe('unlinkedLocalIdByKey', () => {
  it('finds the unlinked customer with the email (any case), not a linked one, not another tenant’s', async () => {
    const other = await insertTenant(t.db);
    const mine = await customer(tenantId, 'Key.Match@example.com', 'mine');
    const theirs = await customer(other, 'other.tenant@example.com', 'theirs');
    const find = (tenant: string, email: string) =>
      t.db.transaction((tx) => unlinkedLocalIdByKey(tx, tenant, 'customer', email));
    expect(await find(tenantId, 'key.match@EXAMPLE.com')).toBe(mine.id);
    expect(await find(tenantId, 'other.tenant@example.com')).toBeUndefined();
    expect(await find(other, 'other.tenant@example.com')).toBe(theirs.id);
    expect(await find(tenantId, 'nobody@example.com')).toBeUndefined();
    await linkIds(t.db, tenantId, 'customer', [{ gid: 'gid://shopify/Customer/77', localId: mine.id }], at);
    expect(await find(tenantId, 'key.match@example.com')).toBeUndefined();
  });

  it('finds the unlinked product with the handle, not a linked one', async () => {
    const p = await productWithVariant(5);
    const find = () => t.db.transaction((tx) => unlinkedLocalIdByKey(tx, tenantId, 'product', 'linked-5'));
    expect(await find()).toBe(p.productId);
    await linkIds(t.db, tenantId, 'product', [{ gid: 'gid://shopify/Product/5', localId: p.productId }], at);
    expect(await find()).toBeUndefined();
  });
});

describe('hasRecentUnlinkedKeylessCustomer', () => {
  it('is true only for an email-less customer created since the time and linked to nothing', async () => {
    const tenant = await insertTenant(t.db);
    const since = new Date('2026-03-01T00:00:00Z');
    await customer(tenant, null, 'old', new Date('2026-02-28T23:59:00Z'));
    await customer(tenant, 'has.email@example.com', 'keyed', since);
    expect(await hasRecentUnlinkedKeylessCustomer(t.db, tenant, since)).toBe(false);
    const fresh = await customer(tenant, null, 'fresh', since);
    expect(await hasRecentUnlinkedKeylessCustomer(t.db, tenant, since)).toBe(true);
    expect(await hasRecentUnlinkedKeylessCustomer(t.db, tenantId, since)).toBe(false);
    await linkIds(t.db, tenant, 'customer', [{ gid: 'gid://shopify/Customer/78', localId: fresh.id }], at);
    expect(await hasRecentUnlinkedKeylessCustomer(t.db, tenant, since)).toBe(false);
  });
});
