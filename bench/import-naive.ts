// Child process of `npm run bench:import`: the importer most connectors start with — Shopify's official
// GraphQL client (@shopify/admin-api-client, its built-in retry), page by page, one record per
// transaction through the ordinary create calls, a fixed 1 s wait when throttled. Runs until done or
// until BENCH_NAIVE_SECONDS, and reports records per second.
import { createAdminApiClient } from '@shopify/admin-api-client';
import { systemClock } from '../src/clock.ts';
import { createCustomer } from '../src/core/customers.ts';
import { setInventory } from '../src/core/inventory.ts';
import { createLocation } from '../src/core/locations.ts';
import { createOrder } from '../src/core/orders.ts';
import { createProduct } from '../src/core/products.ts';
import type { WriteContext } from '../src/core/write-context.ts';
import { migrateToLatest, openDb } from '../src/db/open.ts';
import type { FinancialStatus, FulfillmentStatus, ProductStatus } from '../src/domain/entities.ts';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};
const shop = env('BENCH_SHOP');
const origin = env('BENCH_SHOP_ORIGIN').replace('{shop}', shop);
const seconds = Number(process.env['BENCH_NAIVE_SECONDS'] ?? 600);

const client = createAdminApiClient({
  storeDomain: shop,
  apiVersion: '2026-04',
  accessToken: env('BENCH_TOKEN'),
  retries: 3,
  // The official client always builds https://{shop}/…; point it at the emulator's origin.
  customFetchApi: (url, init) => fetch(String(url).replace(`https://${shop}`, origin), init),
});

const db = await openDb({
  databaseUrl: process.env['BENCH_DATABASE_URL'],
  dataDir: process.env['BENCH_DATA_DIR'],
  onIdleError: (err) => {
    throw err;
  },
});
await migrateToLatest(db);
const { rows } = await db.query<{ id: string }>(`insert into tenants (name) values ('naive') returning id`);
const ctx: WriteContext = {
  tenantId: rows[0]?.id as string,
  origin: 'system',
  clock: systemClock,
  changesRecorded: async () => undefined, // no relay runs in the bench
};

let records = 0;
let calls = 0;
let throttled = 0;

interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

/** One page, retried after 1 s while Shopify says THROTTLED (the client only retries 429/503 itself). */
async function page<T>(query: string, variables: Record<string, unknown>, root: string): Promise<Page<T>> {
  for (;;) {
    calls += 1;
    const res = await client.request(query, { variables });
    const codes = (res.errors?.graphQLErrors ?? []).map((e) => (e.extensions as { code?: string })?.code);
    if (codes.includes('THROTTLED')) {
      throttled += 1;
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    if (res.errors) throw new Error(`GraphQL error: ${JSON.stringify(res.errors)}`);
    // `root` is a dotted path to the connection, e.g. "location.inventoryLevels".
    return root.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], res.data) as Page<T>;
  }
}

async function each<T>(
  query: string,
  root: string,
  extra: Record<string, unknown>,
  fn: (n: T) => Promise<void>,
) {
  let after: string | null = null;
  do {
    if (performance.now() > deadline) return;
    const p: Page<T> = await page<T>(query, { ...extra, after }, root);
    for (const n of p.nodes) {
      await fn(n);
      records += 1;
    }
    after = p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null;
  } while (after);
}

const money = 'shopMoney { amount }';
const started = performance.now();
// The budget starts with the import, not with opening (and maybe creating) the database.
const deadline = started + seconds * 1000;
const locations = new Map<string, string>();
await each<{ id: string; name: string }>(
  `query($after: String) { locations(first: 50, after: $after) { pageInfo { hasNextPage endCursor } nodes { id name } } }`,
  'locations',
  {},
  async (l) => {
    locations.set(l.id, (await createLocation(db, ctx, { name: l.name })).id);
  },
);
const variantsByItem = new Map<string, string>();
await each<{
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: string;
  tags: string[];
  variants: {
    nodes: {
      sku: string | null;
      price: string;
      compareAtPrice: string | null;
      barcode: string | null;
      selectedOptions: { name: string; value: string }[];
      inventoryItem: { id: string };
    }[];
  };
}>(
  `query($after: String) { products(first: 25, after: $after) { pageInfo { hasNextPage endCursor } nodes {
     title handle descriptionHtml vendor productType status tags
     variants(first: 10) { nodes { sku price compareAtPrice barcode selectedOptions { name value } inventoryItem { id } } } } } }`,
  'products',
  {},
  async (p) => {
    const created = await createProduct(db, ctx, {
      title: p.title,
      handle: p.handle,
      descriptionHtml: p.descriptionHtml,
      vendor: p.vendor,
      productType: p.productType,
      status: p.status.toLowerCase() as ProductStatus,
      tags: p.tags,
      variants: p.variants.nodes.map((v) => ({
        sku: v.sku || null,
        price: v.price,
        compareAtPrice: v.compareAtPrice,
        barcode: v.barcode,
        optionValues: v.selectedOptions,
      })),
    });
    p.variants.nodes.forEach((v, i) =>
      variantsByItem.set(v.inventoryItem.id, created.variants[i]?.id as string),
    );
  },
);
await each<{
  firstName: string | null;
  lastName: string | null;
  note: string | null;
  tags: string[];
  defaultEmailAddress: { emailAddress: string } | null;
}>(
  `query($after: String) { customers(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes {
     firstName lastName note tags defaultEmailAddress { emailAddress } } } }`,
  'customers',
  {},
  async (c) => {
    await createCustomer(db, ctx, {
      email: c.defaultEmailAddress?.emailAddress ?? null,
      firstName: c.firstName ?? '',
      lastName: c.lastName ?? '',
      note: c.note ?? '',
      tags: c.tags,
    });
  },
);
let orderNumber = 0;
await each<{
  email: string | null;
  currencyCode: string;
  displayFinancialStatus: string | null;
  note: string | null;
  tags: string[];
  processedAt: string;
  lineItems: {
    nodes: {
      sku: string | null;
      title: string;
      quantity: number;
      originalUnitPriceSet: { shopMoney: { amount: string } };
    }[];
  };
}>(
  `query($after: String) { orders(first: 25, after: $after) { pageInfo { hasNextPage endCursor } nodes {
     email currencyCode displayFinancialStatus note tags processedAt
     lineItems(first: 10) { nodes { sku title quantity originalUnitPriceSet { ${money} } } } } } }`,
  'orders',
  {},
  async (o) => {
    orderNumber += 1;
    await createOrder(db, ctx, {
      number: orderNumber,
      email: o.email,
      currency: o.currencyCode,
      financialStatus: (o.displayFinancialStatus ?? 'PENDING').toLowerCase() as FinancialStatus,
      fulfillmentStatus: 'unfulfilled' as FulfillmentStatus,
      note: o.note ?? '',
      tags: o.tags,
      processedAt: new Date(o.processedAt),
      lineItems: o.lineItems.nodes.map((l) => ({
        sku: l.sku || null,
        title: l.title,
        quantity: l.quantity,
        unitPrice: l.originalUnitPriceSet.shopMoney.amount,
      })),
    });
  },
);
for (const [locationGid, locationId] of locations) {
  await each<{ quantities: { name: string; quantity: number }[]; item: { id: string } }>(
    `query($id: ID!, $after: String) { location(id: $id) { inventoryLevels(first: 100, after: $after) {
       pageInfo { hasNextPage endCursor } nodes { quantities(names: ["available"]) { name quantity } item { id } } } } }`,
    'location.inventoryLevels',
    { id: locationGid },
    async (l) => {
      const variantId = variantsByItem.get(l.item.id);
      if (!variantId) return;
      await setInventory(db, ctx, {
        variantId,
        locationId,
        available: l.quantities[0]?.quantity ?? 0,
        reason: 'naive import',
      });
    },
  );
}
const ms = performance.now() - started;
console.log(
  `BENCH_RESULT ${JSON.stringify({ ms, records, calls, throttled, finished: performance.now() <= deadline, maxRssMb: process.resourceUsage().maxRSS / 1024 })}`,
);
await db.close();
