import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { insertLocation } from './locations.ts';
import { insertProduct } from './products.ts';
import { baseHashesOfGids, baseKeysByGid, levelKeysOf } from './reconcile-reads.ts';
import { levelsAt } from './shopify-reconcile-levels.ts';
import { linkIds } from './shopify-id-map.ts';
import { upsertSyncBase } from './shopify-sync-base.ts';

// The compare's batch reads answer one JSON document per batch (decoding it costs PGlite about half
// of what row-by-row fields cost); they must say exactly what the reads by purpose say: base hashes
// by GID, links by GID, and Retailos's level at each (item, location) pair.

let t: TestDb;
let tenantId: string;
const now = new Date('2026-03-01T00:00:00Z');
const VARIANTS = 6;
const LOCATIONS = 3;
const item = (i: number) => `gid://shopify/InventoryItem/${i + 1}`;
const location = (i: number) => `gid://shopify/Location/${i + 1}`;
const levelGid = (v: number, l: number) =>
  `gid://shopify/InventoryLevel/${v * 10 + l}?inventory_item_id=${v + 1}`;
const productGid = (i: number) => `gid://shopify/Product/${i + 1}`;
let variantIds: string[] = [];
const locationIds: string[] = [];
const levelIds = new Map<string, string>();
const productIds: string[] = [];

beforeAll(async () => {
  t = await openTestDb();
  tenantId = await insertTenant(t.db);
  const fields = {
    title: 'Tee',
    handle: 'tee',
    descriptionHtml: '',
    vendor: '',
    productType: '',
    status: 'active' as const,
    tags: [],
  };
  for (let i = 0; i < 4; i += 1)
    productIds.push(await insertProduct(t.db, tenantId, { ...fields, handle: `tee-${i}` }, now));
  const { rows: variants } = await t.db.query<{ id: string }>(
    `insert into variants (tenant_id, product_id, sku, price) select $1, $2, 'SKU-' || g, 1 from generate_series(1, $3) g returning id`,
    [tenantId, productIds[0], VARIANTS],
  );
  variantIds = variants.map((v) => v.id);
  for (let i = 0; i < LOCATIONS; i += 1)
    locationIds.push(
      (await insertLocation(t.db, tenantId, { name: `L${i}`, address: null, active: true } as never, now)).id,
    );
  for (const [v, variantId] of variantIds.entries())
    for (const [l, locationId] of locationIds.entries()) {
      const { rows } = await t.db.query<{ id: string }>(
        `insert into inventory_levels (tenant_id, variant_id, location_id, available, on_hand, created_at, updated_at, version)
         values ($1, $2, $3, $4, $5, $6, $6, $7) returning id`,
        [tenantId, variantId, locationId, v + l, v * 2 + l, now, v + 1],
      );
      levelIds.set(`${v} ${l}`, (rows[0] as { id: string }).id);
    }
});
afterAll(async () => {
  await t?.close();
});

/** Links, bases and pending pushes as the generated case has them (each case starts from none). */
async function arrange(c: Case): Promise<void> {
  await t.db.query('delete from shopify_links where tenant_id = $1', [tenantId]);
  await t.db.query('delete from shopify_inventory_pushes where tenant_id = $1', [tenantId]);
  const links = (entity: 'inventory_item' | 'location' | 'product', pairs: [string, string][]) =>
    linkIds(
      t.db,
      tenantId,
      entity,
      pairs.map(([localId, gid]) => ({ localId, gid })),
      now,
    );
  await links(
    'inventory_item',
    c.linkedItems.map((v) => [variantIds[v] as string, item(v)]),
  );
  await links(
    'location',
    c.linkedLocations.map((l) => [locationIds[l] as string, location(l)]),
  );
  await links(
    'product',
    c.linkedProducts.map((p) => [productIds[p] as string, productGid(p)]),
  );
  await upsertSyncBase(
    t.db,
    tenantId,
    'inventory_level',
    c.levelBases.map(([v, l, of]) => ({
      localId: levelIds.get(`${of} ${l}`) as string,
      gid: levelGid(v, l),
      hash: `h${v}${l}`,
      snapshot: {},
      remoteUpdatedAt: now,
    })),
    now,
  );
  await upsertSyncBase(
    t.db,
    tenantId,
    'product',
    c.productBases.map((p) => ({
      localId: productIds[p] as string,
      gid: productGid(p),
      hash: `p${p}`,
      snapshot: {},
      remoteUpdatedAt: now,
    })),
    now,
  );
  for (const [v, l] of c.pending)
    await t.db.query(
      `insert into shopify_inventory_pushes (tenant_id, level_id, pending_key, pending_from, pending_delta, pending_since)
       values ($1, $2, 'k', 0, 1, $3)`,
      [tenantId, levelIds.get(`${v} ${l}`), now],
    );
}

interface Case {
  linkedItems: number[];
  linkedLocations: number[];
  linkedProducts: number[];
  /** [variant, location, the variant whose level at that location the base names] (a relinked base when they differ). */
  levelBases: [number, number, number][];
  productBases: number[];
  pending: [number, number][];
  /** Shopify's levels of the batch, in order (repeats allowed). */
  asked: [number, number][];
  askedProducts: number[];
}

const v = fc.integer({ min: 0, max: VARIANTS - 1 });
const l = fc.integer({ min: 0, max: LOCATIONS - 1 });
const p = fc.integer({ min: 0, max: 3 });
const cases: fc.Arbitrary<Case> = fc.record({
  linkedItems: fc.uniqueArray(v),
  linkedLocations: fc.uniqueArray(l),
  linkedProducts: fc.uniqueArray(p),
  levelBases: fc.uniqueArray(fc.tuple(v, l, v), {
    selector: ([a, b, c]) => `${a} ${b}|${c} ${b}`,
    comparator: (x, y) => x.split('|').some((k) => y.split('|').includes(k)),
  }) as unknown as fc.Arbitrary<[number, number, number][]>,
  productBases: fc.uniqueArray(p),
  pending: fc.uniqueArray(fc.tuple(v, l), { selector: ([a, b]) => `${a} ${b}` }),
  asked: fc.array(fc.tuple(v, l), { maxLength: 12 }),
  askedProducts: fc.array(p, { maxLength: 6 }),
});

describe('the compare’s batch reads (one JSON document per batch)', () => {
  it('levelKeysOf says, per level asked and in order, what baseHashesOfGids and levelsAt say', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        await arrange(c);
        const asked = c.asked.map(([a, b]) => ({
          gid: levelGid(a, b),
          item: item(a),
          location: location(b),
        }));
        const keys = await levelKeysOf(t.db, tenantId, asked);
        const bases = await baseHashesOfGids(
          t.db,
          tenantId,
          'inventory_level',
          asked.map((x) => x.gid),
        );
        const at = await levelsAt(t.db, tenantId, asked);
        expect(keys).toEqual(
          asked.map((x) => ({ base: bases.get(x.gid), atPair: at.get(`${x.item} ${x.location}`) })),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('baseKeysByGid gives each GID its base’s local id (else its link’s) and its base hash', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        await arrange(c);
        const gids = c.askedProducts.map(productGid);
        const keys = await baseKeysByGid(t.db, tenantId, 'product', gids);
        const bases = await baseHashesOfGids(t.db, tenantId, 'product', gids);
        const expected = new Map(
          gids.flatMap((gid) => {
            const i = Number(gid.split('/').at(-1)) - 1;
            const base = bases.get(gid);
            const linked = c.linkedProducts.includes(i) ? (productIds[i] as string) : null;
            if (!base && !linked) return [];
            return [[gid, { localId: base?.localId ?? linked, baseHash: base?.hash ?? null }]];
          }),
        );
        expect(keys).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
