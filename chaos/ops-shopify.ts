// The merchant's edits on Shopify, through the emulator's control API (as in the Shopify admin: they fire
// webhooks like any edit there). Each op reads what is there now, picks with the run's PRNG, acts, and
// writes what it did to the ledger only once Shopify took it. A tag is added with the admin's "Add tags"
// (`addTags`: to the tags there when the edit is made): writing back the list the op read would remove a
// tag Retailos pushed in between, a removal the ledger, which records an addition, would not know of.
import type { Answer } from './client.ts';
import { shopifyRef } from './ledger.ts';
import type { OpWorld, Outcome } from './op-world.ts';

interface Product {
  id: number;
  tags: string[];
  variants: { id: number; inventory: { locationId: number; available: number }[] }[];
}
interface Customer {
  id: number;
  tags: string[];
}
interface Order {
  id: number;
  tags: string[];
}

async function control<T>(w: OpWorld, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const res = await fetch(`${w.emu.url}/_emulator/shops/${w.shop}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function list<T>(w: OpWorld, kind: 'products' | 'customers' | 'orders'): Promise<T[]> {
  const a = await control<Record<string, T[]>>(w, 'GET', `/${kind}?limit=250`);
  if (a.status !== 200) throw new Error(`GET ${kind} on Shopify → ${a.status}`);
  return a.body[kind] ?? [];
}

/** Sends one write; a 4xx is Shopify refusing it (counted), anything else unexpected fails the run. */
async function write<T>(
  w: OpWorld,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ at: number; ok: true; body: T } | { ok: false; outcome: Outcome }> {
  const at = Date.now();
  const a = await control<T>(w, method, path, body);
  if (a.status >= 200 && a.status < 300) return { at, ok: true, body: a.body };
  if (a.status >= 400 && a.status < 500) return { ok: false, outcome: `refused ${a.status}` };
  throw new Error(`${method} ${path} on Shopify → ${a.status}: ${JSON.stringify(a.body)}`);
}

const productRef = (p: { id: number }) => shopifyRef('product', p.id);

async function editProduct(w: OpWorld, what: 'title' | 'price' | 'sku'): Promise<Outcome> {
  const products = await list<Product>(w, 'products');
  if (products.length === 0) return 'skipped';
  const p = w.rng.pick(products);
  if (what === 'title') {
    const title = w.value('Title');
    const r = await write(w, 'PATCH', `/products/${p.id}`, { title });
    if (!r.ok) return r.outcome;
    w.ledger.field(r.at, { ref: productRef(p), field: 'title', value: title });
    return 'done';
  }
  const v = w.rng.pick(p.variants);
  const value = what === 'price' ? w.price() : w.value('SKU');
  const r = await write(w, 'PATCH', `/variants/${v.id}`, { [what]: value });
  if (!r.ok) return r.outcome;
  w.ledger.field(r.at, { ref: shopifyRef('variant', v.id, productRef(p)), field: what, value });
  return 'done';
}

async function adjustStock(w: OpWorld): Promise<Outcome> {
  const levels = (await list<Product>(w, 'products')).flatMap((p) =>
    p.variants.flatMap((v) => v.inventory.map((l) => ({ p, v, l }))),
  );
  if (levels.length === 0) return 'skipped';
  const { p, v, l } = w.rng.pick(levels);
  const delta = w.stockDelta(l.available);
  const r = await write(w, 'POST', '/inventory/adjust', { variantId: v.id, locationId: l.locationId, delta });
  if (!r.ok) return r.outcome;
  const variant = shopifyRef('variant', v.id, productRef(p));
  w.ledger.stock(r.at, { side: 'shopify', variant, location: String(l.locationId), delta });
  return 'done';
}

async function createProduct(w: OpWorld): Promise<Outcome> {
  const price = w.price();
  const sku = w.value('SKU');
  const locationId = w.rng.pick(w.locations);
  const r = await write<Product>(w, 'POST', '/products', {
    title: w.value('New product'),
    variants: [{ price, sku, stock: [{ locationId, available: 20 }] }],
  });
  if (!r.ok) return r.outcome;
  const p = r.body;
  const v = p.variants[0] as Product['variants'][number];
  const variant = shopifyRef('variant', v.id, productRef(p));
  w.ledger.create(r.at, productRef(p));
  w.ledger.field(r.at, { ref: variant, field: 'price', value: price });
  w.ledger.field(r.at, { ref: variant, field: 'sku', value: sku });
  w.ledger.stock(r.at, { side: 'shopify', variant, location: String(locationId), delta: 20 });
  return 'done';
}

async function deleteProduct(w: OpWorld): Promise<Outcome> {
  const products = await list<Product>(w, 'products');
  if (products.length <= 3) return 'skipped'; // keep something to edit
  const p = w.rng.pick(products);
  const r = await write(w, 'DELETE', `/products/${p.id}`);
  if (!r.ok) return r.outcome;
  w.ledger.delete(r.at, productRef(p));
  return 'done';
}

async function editCustomer(w: OpWorld, what: 'note' | 'lastName' | 'tag' | 'delete'): Promise<Outcome> {
  const customers = await list<Customer>(w, 'customers');
  if (customers.length === 0) return 'skipped';
  const c = w.rng.pick(customers);
  const ref = shopifyRef('customer', c.id);
  if (what === 'delete') {
    const r = await write(w, 'DELETE', `/customers/${c.id}`);
    if (!r.ok) return r.outcome; // a customer with orders cannot be deleted
    w.ledger.delete(r.at, ref);
    return 'done';
  }
  if (what === 'tag') {
    const tag = w.value('t').toLowerCase();
    const r = await write(w, 'PATCH', `/customers/${c.id}`, { addTags: [tag] });
    if (!r.ok) return r.outcome;
    w.ledger.tag(r.at, { ref, tag });
    return 'done';
  }
  const value = w.value(what === 'note' ? 'Note' : 'Name');
  const r = await write(w, 'PATCH', `/customers/${c.id}`, { [what]: value });
  if (!r.ok) return r.outcome;
  w.ledger.field(r.at, { ref, field: what, value });
  return 'done';
}

async function createCustomer(w: OpWorld): Promise<Outcome> {
  const lastName = w.value('Name');
  const r = await write<Customer>(w, 'POST', '/customers', {
    email: `${w.value('c').toLowerCase()}@chaos.example`,
    firstName: 'Chaos',
    lastName,
  });
  if (!r.ok) return r.outcome;
  const ref = shopifyRef('customer', r.body.id);
  w.ledger.create(r.at, ref);
  w.ledger.field(r.at, { ref, field: 'lastName', value: lastName });
  return 'done';
}

async function placeOrder(w: OpWorld): Promise<Outcome> {
  const locationId = w.rng.pick(w.locations);
  const stocked = (await list<Product>(w, 'products')).flatMap((p) =>
    p.variants.flatMap((v) =>
      v.inventory.some((l) => l.locationId === locationId && l.available >= 10) ? [{ p, v }] : [],
    ),
  );
  if (stocked.length === 0) return 'skipped';
  const picked = [...new Set([w.rng.pick(stocked), w.rng.pick(stocked)])];
  const lines = picked.map(({ p, v }) => ({ p, v, quantity: w.rng.between(1, 2) }));
  const customers = await list<Customer>(w, 'customers');
  const customer = customers.length > 0 && w.rng.chance(0.5) ? w.rng.pick(customers) : undefined;
  const r = await write<Order>(w, 'POST', '/orders', {
    lines: lines.map((l) => ({ variantId: l.v.id, quantity: l.quantity })),
    locationId,
    ...(customer ? { customerId: customer.id } : {}),
  });
  if (!r.ok) return r.outcome;
  w.ledger.create(
    r.at,
    shopifyRef('order', r.body.id),
    customer ? shopifyRef('customer', customer.id) : undefined,
  );
  const placed = lines.map((l) => ({
    variant: shopifyRef('variant', l.v.id, productRef(l.p)),
    quantity: l.quantity,
  }));
  // An order moves its stock from available to committed (on hand is unchanged until fulfilment).
  for (const l of placed)
    w.ledger.stock(r.at, {
      side: 'shopify',
      variant: l.variant,
      location: String(locationId),
      delta: -l.quantity,
    });
  w.placed.push({ id: r.body.id, locationId, lines: placed, cancelled: false, fulfilled: false });
  return 'done';
}

async function editOrder(w: OpWorld, what: 'note' | 'tag'): Promise<Outcome> {
  const orders = await list<Order>(w, 'orders');
  if (orders.length === 0) return 'skipped';
  const o = w.rng.pick(orders);
  const ref = shopifyRef('order', o.id);
  if (what === 'tag') {
    const tag = w.value('t').toLowerCase();
    const r = await write(w, 'PATCH', `/orders/${o.id}`, { addTags: [tag] });
    if (!r.ok) return r.outcome;
    w.ledger.tag(r.at, { ref, tag });
    return 'done';
  }
  const note = w.value('Note');
  const r = await write(w, 'PATCH', `/orders/${o.id}`, { note });
  if (!r.ok) return r.outcome;
  w.ledger.field(r.at, { ref, field: 'note', value: note });
  return 'done';
}

/** Cancels (restocking an unfulfilled order's lines) or fulfils an order this run placed. */
async function orderLifecycle(w: OpWorld, what: 'cancel' | 'fulfil'): Promise<Outcome> {
  const open = w.placed.filter((o) => !o.cancelled && (what === 'cancel' || !o.fulfilled));
  if (open.length === 0) return 'skipped';
  const o = w.rng.pick(open);
  const path = `/orders/${o.id}/${what === 'cancel' ? 'cancel' : 'fulfill'}`;
  const r = await write(w, 'POST', path, what === 'cancel' ? { reason: 'customer', restock: true } : {});
  if (!r.ok) return r.outcome;
  if (what === 'fulfil') {
    o.fulfilled = true; // committed stock leaves: on hand drops, available does not move
    return 'done';
  }
  o.cancelled = true;
  w.ledger.field(r.at, { ref: shopifyRef('order', o.id), field: 'cancelled', value: true });
  if (!o.fulfilled)
    for (const l of o.lines)
      w.ledger.stock(r.at, {
        side: 'shopify',
        variant: l.variant,
        location: String(o.locationId),
        delta: l.quantity,
      });
  return 'done';
}

export const SHOPIFY_OPS = {
  's.title': (w: OpWorld) => editProduct(w, 'title'),
  's.price': (w: OpWorld) => editProduct(w, 'price'),
  's.sku': (w: OpWorld) => editProduct(w, 'sku'),
  's.stock': adjustStock,
  's.product-create': createProduct,
  's.product-delete': deleteProduct,
  's.customer-note': (w: OpWorld) => editCustomer(w, 'note'),
  's.customer-name': (w: OpWorld) => editCustomer(w, 'lastName'),
  's.customer-tag': (w: OpWorld) => editCustomer(w, 'tag'),
  's.customer-create': createCustomer,
  's.customer-delete': (w: OpWorld) => editCustomer(w, 'delete'),
  's.order-place': placeOrder,
  's.order-note': (w: OpWorld) => editOrder(w, 'note'),
  's.order-tag': (w: OpWorld) => editOrder(w, 'tag'),
  's.order-cancel': (w: OpWorld) => orderLifecycle(w, 'cancel'),
  's.order-fulfil': (w: OpWorld) => orderLifecycle(w, 'fulfil'),
} as const;
