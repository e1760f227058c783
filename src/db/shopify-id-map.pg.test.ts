import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { upsertProductBatch } from './product-batch.ts';
import { deleteProductRow } from './products.ts';
import { deleteCustomerRow, insertCustomer } from './customers.ts';
import { linkIds, liveLocalIdsOf, localIdsOf } from './shopify-id-map.ts';

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
});
