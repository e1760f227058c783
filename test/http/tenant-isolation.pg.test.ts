import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/api-client.ts';

/**
 * Two tenants with their own data. For every /api resource route, tenant B naming tenant A's ids gets
 * 404 (or an empty list), and A's rows are byte-for-byte unchanged afterwards; lists never show the
 * other tenant's rows. Cookie-authenticated writes without X-CSRF-Token answer 403 and write nothing.
 */
const t = useTestApp();
let a: Ids;
let b: Ids;
beforeAll(async () => {
  a = await seed(t.bearer(t.a), 'A');
  b = await seed(t.bearer(t.b), 'B');
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Json = Record<string, unknown>;

interface Ids {
  product: string;
  variant: string;
  sku: string;
  spareProduct: string;
  customer: string;
  spareCustomer: string;
  email: string;
  location: string;
  order: string;
  orderEmail: string;
  level: string;
  token: string;
}

const send = (headers: Record<string, string>, method: Method, url: string, payload?: Json) =>
  t.app.inject({ method, url: `/api${url}`, headers, ...(payload === undefined ? {} : { payload }) });

async function ok(res: Promise<LightMyRequestResponse>): Promise<Json> {
  const r = await res;
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r.json() as Json;
}

/** One of everything for a tenant, through the API. */
async function seed(h: Record<string, string>, tag: string): Promise<Ids> {
  const sku = `SKU-${tag}`;
  const product = await ok(
    send(h, 'POST', '/products', { title: `Product ${tag}`, variants: [{ sku, price: '5.00' }] }),
  );
  const spareProduct = await ok(send(h, 'POST', '/products', { title: `Spare ${tag}` }));
  const variant = (product['variants'] as Json[])[0]?.['id'] as string;
  const email = `c-${tag.toLowerCase()}@example.com`;
  const customer = await ok(send(h, 'POST', '/customers', { email, first_name: `Customer ${tag}` }));
  const spareCustomer = await ok(send(h, 'POST', '/customers', { first_name: `Spare ${tag}` }));
  const location = await ok(send(h, 'POST', '/locations', { name: `Location ${tag}` }));
  const orderEmail = `o-${tag.toLowerCase()}@example.com`;
  const order = await ok(
    send(h, 'POST', '/orders', {
      currency: 'EUR',
      customer_id: customer['id'],
      email: orderEmail,
      line_items: [{ title: `Item ${tag}`, quantity: 1, unit_price: '5.00', variant_id: variant, sku }],
    }),
  );
  const level = await ok(
    send(h, 'POST', '/inventory/set', {
      variant_id: variant,
      location_id: location['id'],
      available: 5,
      reason: 'seed',
    }),
  );
  const token = await ok(send(h, 'POST', '/tokens', { name: `Token ${tag}` }));
  return {
    product: product['id'] as string,
    variant,
    sku,
    spareProduct: spareProduct['id'] as string,
    customer: customer['id'] as string,
    spareCustomer: spareCustomer['id'] as string,
    email,
    location: location['id'] as string,
    order: order['id'] as string,
    orderEmail,
    level: level['id'] as string,
    token: token['id'] as string,
  };
}

const TABLES = [
  'products',
  'variants',
  'customers',
  'orders',
  'order_line_items',
  'locations',
  'inventory_levels',
  'inventory_adjustments',
  'changes',
];

/** Every row a tenant owns (api_tokens without last_used_at, which reads touch). */
async function snapshot(tenantId: string): Promise<string> {
  const parts: unknown[] = [];
  for (const table of [...TABLES, 'api_tokens']) {
    const { rows } = await t.db.query<{ r: unknown }>(
      `select to_jsonb(x) - 'last_used_at' as r from ${table} x where tenant_id = $1 order by to_jsonb(x)::text`,
      [tenantId],
    );
    parts.push([table, rows.map((row) => row.r)]);
  }
  return JSON.stringify(parts);
}

interface Probe {
  name: string;
  method: Method;
  url: string;
  payload?: Json;
}

/** Tenant B naming tenant A's records (`v` the victim's ids, `own` the caller's). */
function foreignProbes(v: Ids, own: Ids): Probe[] {
  const line = { title: 'x', quantity: 1, unit_price: '1.00' };
  return [
    { name: 'read a product', method: 'GET', url: `/products/${v.product}` },
    {
      name: 'update a product',
      method: 'PATCH',
      url: `/products/${v.product}`,
      payload: { title: 'hijacked' },
    },
    { name: 'delete a product', method: 'DELETE', url: `/products/${v.spareProduct}` },
    { name: 'read a customer', method: 'GET', url: `/customers/${v.customer}` },
    {
      name: 'update a customer',
      method: 'PATCH',
      url: `/customers/${v.customer}`,
      payload: { note: 'hijacked' },
    },
    { name: 'delete a customer', method: 'DELETE', url: `/customers/${v.spareCustomer}` },
    { name: 'read an order', method: 'GET', url: `/orders/${v.order}` },
    { name: 'update an order', method: 'PATCH', url: `/orders/${v.order}`, payload: { note: 'hijacked' } },
    { name: 'cancel an order', method: 'POST', url: `/orders/${v.order}/cancel` },
    { name: 'close an order', method: 'POST', url: `/orders/${v.order}/close` },
    {
      name: 'order for their customer',
      method: 'POST',
      url: '/orders',
      payload: { currency: 'EUR', customer_id: v.customer, line_items: [line] },
    },
    {
      name: 'order of their variant',
      method: 'POST',
      url: '/orders',
      payload: { currency: 'EUR', line_items: [{ ...line, variant_id: v.variant }] },
    },
    {
      name: 'own order onto their customer',
      method: 'PATCH',
      url: `/orders/${own.order}`,
      payload: { customer_id: v.customer },
    },
    { name: 'read a location', method: 'GET', url: `/locations/${v.location}` },
    {
      name: 'update a location',
      method: 'PATCH',
      url: `/locations/${v.location}`,
      payload: { name: 'hijacked' },
    },
    {
      name: 'set their variant',
      method: 'POST',
      url: '/inventory/set',
      payload: { variant_id: v.variant, location_id: own.location, available: 0, reason: 'x' },
    },
    {
      name: 'set at their location',
      method: 'POST',
      url: '/inventory/set',
      payload: { variant_id: own.variant, location_id: v.location, available: 0, reason: 'x' },
    },
    {
      name: 'adjust their variant',
      method: 'POST',
      url: '/inventory/adjust',
      payload: { variant_id: v.variant, location_id: own.location, delta: 1, reason: 'x' },
    },
    {
      name: 'adjust at their location',
      method: 'POST',
      url: '/inventory/adjust',
      payload: { variant_id: own.variant, location_id: v.location, delta: 1, reason: 'x' },
    },
    { name: 'revoke a token', method: 'DELETE', url: `/tokens/${v.token}` },
    { name: "read a product's sync state", method: 'GET', url: `/shopify/sync-state/product/${v.product}` },
    {
      name: "read a customer's sync state",
      method: 'GET',
      url: `/shopify/sync-state/customer/${v.customer}`,
    },
    { name: "read an order's sync state", method: 'GET', url: `/shopify/sync-state/order/${v.order}` },
  ];
}

/** Lists filtered on the victim's ids, emails and SKUs: always empty for the caller. */
function foreignFilters(v: Ids): string[] {
  return [
    `/products?sku=${v.sku}`,
    `/customers?email=${encodeURIComponent(v.email)}`,
    `/orders?email=${encodeURIComponent(v.orderEmail)}`,
    `/orders?customer_id=${v.customer}`,
    `/inventory?variant_id=${v.variant}`,
    `/inventory?location_id=${v.location}`,
    `/inventory?sku=${v.sku}`,
  ];
}

const LISTS = ['/products', '/customers', '/orders', '/inventory', '/locations', '/tokens'];

const idsOf = (ids: Ids): string[] => [
  ids.product,
  ids.variant,
  ids.spareProduct,
  ids.customer,
  ids.spareCustomer,
  ids.location,
  ids.order,
  ids.level,
  ids.token,
];

describe('tenant isolation', () => {
  it.each(['read', 'write'])(
    'the probes are valid requests: tenant A doing them on its own records is not refused (%s)',
    async (kind) => {
      // Positive control on a throwaway copy of A's data, so the 404s below come from the tenant check alone.
      const mine = await seed(t.bearer(t.a), `ctl-${kind}`);
      for (const p of foreignProbes(mine, mine).filter((x) => (x.method === 'GET') === (kind === 'read'))) {
        const res = await send(t.bearer(t.a), p.method, p.url, p.payload);
        expect(res.statusCode, `${p.name}: ${res.body}`).toBeLessThan(300);
      }
    },
  );

  it.each(foreignProbes({} as Ids, {} as Ids).map((p) => p.name))(
    "tenant B naming tenant A's records: %s → 404 and nothing changes",
    async (name) => {
      const probe = foreignProbes(a, b).find((p) => p.name === name) as Probe;
      const beforeA = await snapshot(t.a.tenantId);
      const beforeB = await snapshot(t.b.tenantId);
      const res = await send(t.bearer(t.b), probe.method, probe.url, probe.payload);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
      expect(await snapshot(t.a.tenantId)).toBe(beforeA);
      expect(await snapshot(t.b.tenantId)).toBe(beforeB);
    },
  );

  it.each([...new Set(foreignFilters({} as Ids).map((u) => u.split('?')[0] as string))])(
    "a list filtered on the other tenant's values is empty (%s)",
    async (path) => {
      for (const url of foreignFilters(a).filter((u) => u.startsWith(`${path}?`))) {
        const res = await send(t.bearer(t.b), 'GET', url);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().items, url).toEqual([]);
        const mine = await send(t.bearer(t.a), 'GET', url);
        expect((mine.json().items as unknown[]).length, url).toBeGreaterThan(0);
      }
    },
  );

  it("a variant id of tenant A in tenant B's product answers 422 unknown_variant and nothing changes", async () => {
    const beforeA = await snapshot(t.a.tenantId);
    const beforeB = await snapshot(t.b.tenantId);
    const variants = [{ id: a.variant, sku: 'STOLEN', price: '0.01' }];
    const update = await send(t.bearer(t.b), 'PATCH', `/products/${b.product}`, { variants });
    expect(update.statusCode, update.body).toBe(422);
    expect(update.json()).toMatchObject({ error: { code: 'unknown_variant' } });
    const create = await send(t.bearer(t.b), 'POST', '/products', { title: 'Stolen', variants });
    expect(create.json()).toMatchObject({ error: { code: 'unknown_variant' } });
    expect(await snapshot(t.a.tenantId)).toBe(beforeA);
    expect(await snapshot(t.b.tenantId)).toBe(beforeB);
  });

  it.each(LISTS)('GET %s shows each tenant only its own rows', async (url) => {
    for (const [who, own, other] of [
      [t.a, a, b],
      [t.b, b, a],
    ] as const) {
      const res = await send(t.bearer(who), 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      const listed = (res.json().items as Json[]).map((i) => i['id']);
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.some((id) => idsOf(own).includes(id as string))).toBe(true);
      for (const id of idsOf(other)) expect(res.body).not.toContain(id);
    }
  });
});

describe('CSRF on cookie-authenticated writes', () => {
  function writes(v: Ids): Probe[] {
    return [
      { name: 'POST /products', method: 'POST', url: '/products', payload: { title: 'CSRF product' } },
      {
        name: 'PATCH /products/:id',
        method: 'PATCH',
        url: `/products/${v.product}`,
        payload: { title: 'renamed' },
      },
      { name: 'DELETE /products/:id', method: 'DELETE', url: `/products/${v.spareProduct}` },
      { name: 'POST /customers', method: 'POST', url: '/customers', payload: { email: 'csrf@example.com' } },
      {
        name: 'PATCH /customers/:id',
        method: 'PATCH',
        url: `/customers/${v.customer}`,
        payload: { note: 'x' },
      },
      { name: 'DELETE /customers/:id', method: 'DELETE', url: `/customers/${v.spareCustomer}` },
      {
        name: 'POST /orders',
        method: 'POST',
        url: '/orders',
        payload: { currency: 'EUR', line_items: [{ title: 'x', quantity: 1, unit_price: '1' }] },
      },
      { name: 'PATCH /orders/:id', method: 'PATCH', url: `/orders/${v.order}`, payload: { note: 'x' } },
      { name: 'POST /orders/:id/cancel', method: 'POST', url: `/orders/${v.order}/cancel` },
      { name: 'POST /orders/:id/close', method: 'POST', url: `/orders/${v.order}/close` },
      { name: 'POST /locations', method: 'POST', url: '/locations', payload: { name: 'CSRF location' } },
      {
        name: 'PATCH /locations/:id',
        method: 'PATCH',
        url: `/locations/${v.location}`,
        payload: { active: false },
      },
      {
        name: 'POST /inventory/set',
        method: 'POST',
        url: '/inventory/set',
        payload: { variant_id: v.variant, location_id: v.location, available: 9, reason: 'count' },
      },
      {
        name: 'POST /inventory/adjust',
        method: 'POST',
        url: '/inventory/adjust',
        payload: { variant_id: v.variant, location_id: v.location, delta: 1, reason: 'found' },
      },
    ];
  }

  it('every resource write without X-CSRF-Token answers 403 csrf_invalid and writes nothing; with it, it succeeds', async () => {
    const session = await t.login(t.a);
    const cookieOnly = { cookie: session.headers['cookie'] as string };
    const mine = await seed(t.bearer(t.a), 'csrf');
    for (const w of writes(mine)) {
      const before = await snapshot(t.a.tenantId);
      const refused = await send(cookieOnly, w.method, w.url, w.payload);
      expect(refused.statusCode, `${w.name}: ${refused.body}`).toBe(403);
      expect(refused.json(), w.name).toEqual({
        error: { code: 'csrf_invalid', message: 'missing or wrong X-CSRF-Token header' },
      });
      expect(await snapshot(t.a.tenantId), w.name).toBe(before);
      const accepted = await send(session.headers, w.method, w.url, w.payload);
      expect(accepted.statusCode, `${w.name}: ${accepted.body}`).toBeLessThan(300);
    }
  });
});

// Last: it gives tenant B records carrying tenant A's values, which the filter tests above must not see.
describe('unique values are per tenant', () => {
  it("tenant A's SKU, customer email and location name do not conflict in tenant B (no existence leak)", async () => {
    const beforeA = await snapshot(t.a.tenantId);
    const h = t.bearer(t.b);
    const product = await send(h, 'POST', '/products', {
      title: 'Same SKU',
      variants: [{ sku: a.sku, price: '1.00' }],
    });
    expect(product.statusCode, product.body).toBe(201);
    const customer = await send(h, 'POST', '/customers', { email: a.email });
    expect(customer.statusCode, customer.body).toBe(201);
    const location = await send(h, 'POST', '/locations', { name: 'Location A' });
    expect(location.statusCode, location.body).toBe(201);
    expect(await snapshot(t.a.tenantId)).toBe(beforeA);
    const own = await send(t.bearer(t.a), 'GET', `/products?sku=${a.sku}`);
    expect((own.json().items as Json[]).map((i) => i['id'])).toEqual([a.product]);
  });
});
