// The merchant's edits in Retailos, through its JSON API (what its pages call). Each op reads what is
// there now, picks with the run's PRNG, acts, and writes what it did to the ledger once Retailos took it.
// Like the pages, a PATCH names the version it read: an edit made from a read the sync has overtaken
// (a full variant or tag list) is refused with 409, not saved over the newer values.
import type { Answer } from './client.ts';
import { retailosRef } from './ledger.ts';
import type { OpWorld, Outcome } from './op-world.ts';

interface Variant {
  id: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compare_at_price: string | null;
  option_values: { name: string; value: string }[];
}
interface Product {
  id: string;
  version: number;
  variants: Variant[];
}
interface Tagged {
  id: string;
  version: number;
  tags: string[];
}
interface Level {
  variant_id: string;
  location_id: string;
  available: number;
}

async function list<T>(w: OpWorld, path: string): Promise<T[]> {
  const a = await w.api<{ items: T[] }>('GET', `/api/${path}${path.includes('?') ? '&' : '?'}limit=250`);
  if (a.status !== 200) throw new Error(`GET /api/${path} → ${a.status}: ${JSON.stringify(a.body)}`);
  return a.body.items;
}

/** Sends one write; a 4xx is Retailos refusing it (counted), anything else fails the run (never a 5xx). */
async function write<T>(
  w: OpWorld,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ at: number; ok: true; body: T } | { ok: false; outcome: Outcome }> {
  const at = Date.now();
  const a: Answer<T> = await w.api<T>(method, `/api${path}`, body);
  if (a.status >= 200 && a.status < 300) return { at, ok: true, body: a.body };
  if (a.status >= 400 && a.status < 500) return { ok: false, outcome: `refused ${a.status}` };
  throw new Error(`${method} /api${path} → ${a.status}: ${JSON.stringify(a.body)}`);
}

/** A PATCH body's complete variant list, `change` applied to the one at `index`. */
const variantsBody = (p: Product, index: number, change: Partial<Variant>) =>
  p.variants.map((v, i) => ({
    id: v.id,
    sku: v.sku,
    barcode: v.barcode,
    price: v.price,
    compare_at_price: v.compare_at_price,
    option_values: v.option_values,
    ...(i === index ? change : {}),
  }));

async function editProduct(w: OpWorld, what: 'title' | 'price' | 'sku'): Promise<Outcome> {
  const products = await list<Product>(w, 'products');
  if (products.length === 0) return 'skipped';
  const p = w.rng.pick(products);
  const ref = retailosRef('product', p.id);
  if (what === 'title') {
    const title = w.value('Title');
    const r = await write(w, 'PATCH', `/products/${p.id}`, { title, version: p.version });
    if (!r.ok) return r.outcome;
    w.ledger.field(r.at, { ref, field: 'title', value: title });
    return 'done';
  }
  const index = w.rng.int(p.variants.length);
  const v = p.variants[index] as Variant;
  const value = what === 'price' ? w.price() : w.value('SKU');
  const r = await write(w, 'PATCH', `/products/${p.id}`, {
    variants: variantsBody(p, index, { [what]: value }),
    version: p.version,
  });
  if (!r.ok) return r.outcome;
  w.ledger.field(r.at, { ref: retailosRef('variant', v.id, ref), field: what, value });
  return 'done';
}

async function adjustStock(w: OpWorld): Promise<Outcome> {
  const products = await list<Product>(w, 'products');
  const variants = products.flatMap((p) => p.variants.map((v) => ({ p, v })));
  if (variants.length === 0) return 'skipped';
  const { p, v } = w.rng.pick(variants);
  const levels = await list<Level>(w, `inventory?variant_id=${v.id}`);
  if (levels.length === 0) return 'skipped';
  const l = w.rng.pick(levels);
  const delta = w.stockDelta(l.available);
  const r = await write(w, 'POST', '/inventory/adjust', {
    variant_id: v.id,
    location_id: l.location_id,
    delta,
    reason: delta < 0 ? 'sold in store' : 'received',
  });
  if (!r.ok) return r.outcome;
  const variant = retailosRef('variant', v.id, retailosRef('product', p.id));
  w.ledger.stock(r.at, { side: 'retailos', variant, location: l.location_id, delta });
  return 'done';
}

async function createProduct(w: OpWorld): Promise<Outcome> {
  const price = w.price();
  const sku = w.value('SKU');
  const r = await write<Product>(w, 'POST', '/products', {
    title: w.value('New product'),
    variants: [{ price, sku }],
  });
  if (!r.ok) return r.outcome;
  const ref = retailosRef('product', r.body.id);
  const variant = retailosRef('variant', (r.body.variants[0] as Variant).id, ref);
  w.ledger.create(r.at, ref);
  w.ledger.field(r.at, { ref: variant, field: 'price', value: price });
  w.ledger.field(r.at, { ref: variant, field: 'sku', value: sku });
  return 'done';
}

async function deleteProduct(w: OpWorld): Promise<Outcome> {
  const products = await list<Product>(w, 'products');
  if (products.length <= 3) return 'skipped'; // keep something to edit
  const p = w.rng.pick(products);
  const r = await write(w, 'DELETE', `/products/${p.id}`);
  if (!r.ok) return r.outcome;
  w.ledger.delete(r.at, retailosRef('product', p.id));
  return 'done';
}

async function editCustomer(w: OpWorld, what: 'note' | 'lastName' | 'tag' | 'delete'): Promise<Outcome> {
  const customers = await list<Tagged>(w, 'customers');
  if (customers.length === 0) return 'skipped';
  const c = w.rng.pick(customers);
  const ref = retailosRef('customer', c.id);
  if (what === 'delete') {
    const r = await write(w, 'DELETE', `/customers/${c.id}`);
    if (!r.ok) return r.outcome; // a customer with orders cannot be deleted
    w.ledger.delete(r.at, ref);
    return 'done';
  }
  if (what === 'tag') {
    const tag = w.value('t').toLowerCase();
    const r = await write(w, 'PATCH', `/customers/${c.id}`, { tags: [...c.tags, tag], version: c.version });
    if (!r.ok) return r.outcome;
    w.ledger.tag(r.at, { ref, tag });
    return 'done';
  }
  const value = w.value(what === 'note' ? 'Note' : 'Name');
  const r = await write(w, 'PATCH', `/customers/${c.id}`, {
    [what === 'note' ? 'note' : 'last_name']: value,
    version: c.version,
  });
  if (!r.ok) return r.outcome;
  w.ledger.field(r.at, { ref, field: what, value });
  return 'done';
}

async function createCustomer(w: OpWorld): Promise<Outcome> {
  const lastName = w.value('Name');
  const r = await write<Tagged>(w, 'POST', '/customers', {
    email: `${w.value('r').toLowerCase()}@chaos.example`,
    first_name: 'Chaos',
    last_name: lastName,
  });
  if (!r.ok) return r.outcome;
  const ref = retailosRef('customer', r.body.id);
  w.ledger.create(r.at, ref);
  w.ledger.field(r.at, { ref, field: 'lastName', value: lastName });
  return 'done';
}

async function editOrder(w: OpWorld, what: 'note' | 'tag'): Promise<Outcome> {
  const orders = await list<Tagged>(w, 'orders');
  if (orders.length === 0) return 'skipped';
  const o = w.rng.pick(orders);
  const ref = retailosRef('order', o.id);
  if (what === 'tag') {
    const tag = w.value('t').toLowerCase();
    const r = await write(w, 'PATCH', `/orders/${o.id}`, { tags: [...o.tags, tag], version: o.version });
    if (!r.ok) return r.outcome;
    w.ledger.tag(r.at, { ref, tag });
    return 'done';
  }
  const note = w.value('Note');
  const r = await write(w, 'PATCH', `/orders/${o.id}`, { note, version: o.version });
  if (!r.ok) return r.outcome;
  w.ledger.field(r.at, { ref, field: 'note', value: note });
  return 'done';
}

export const RETAILOS_OPS = {
  'r.title': (w: OpWorld) => editProduct(w, 'title'),
  'r.price': (w: OpWorld) => editProduct(w, 'price'),
  'r.sku': (w: OpWorld) => editProduct(w, 'sku'),
  'r.stock': adjustStock,
  'r.product-create': createProduct,
  'r.product-delete': deleteProduct,
  'r.customer-note': (w: OpWorld) => editCustomer(w, 'note'),
  'r.customer-name': (w: OpWorld) => editCustomer(w, 'lastName'),
  'r.customer-tag': (w: OpWorld) => editCustomer(w, 'tag'),
  'r.customer-create': createCustomer,
  'r.customer-delete': (w: OpWorld) => editCustomer(w, 'delete'),
  'r.order-note': (w: OpWorld) => editOrder(w, 'note'),
  'r.order-tag': (w: OpWorld) => editOrder(w, 'tag'),
} as const;
