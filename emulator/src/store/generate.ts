import { manualClock } from './clock.ts';
import { addLocation, bumpVersion, createShop, type Store } from './store.ts';
import { createCustomer } from './customers.ts';
import { customerInput, productInput } from './generate-records.ts';
import { LOCATION_NAMES, PRESENTMENT } from './generate-words.ts';
import { cancelOrder, fulfillOrder, placeOrder, refundOrder } from './orders.ts';
import { createProduct } from './products.ts';
import { createRng, type Rng } from './prng.ts';
import type { ChangeKind, CustomerRecord, Plan, ProductRecord, ShopData } from './types.ts';

export interface GenerateOptions {
  seed: number;
  domain: string;
  products: number;
  variantsPerProduct: number;
  customers: number;
  orders: number;
  locations: number;
  plan?: Plan;
  currency?: string;
  /** Span of history in days (default 400); about 1/6 of orders are older than 60 days by default. */
  historyDays?: number;
}

const DAY = 86400;

/**
 * Builds a shop with realistic, reproducible content: the same options (and the
 * same store clock time) give the same shop. Generation does not emit change
 * events to listeners (no webhooks for the initial state).
 */
export function generateShop(store: Store, options: GenerateOptions): ShopData {
  const now = Math.floor(store.clock.now().getTime() / 1000);
  const history = (options.historyDays ?? 400) * DAY;
  const clock = manualClock(new Date((now - history) * 1000));
  const gen: Store = { clock, shops: store.shops, listeners: new Set() };
  const rng = createRng(options.seed);
  const shop = createShop(gen, {
    domain: options.domain,
    plan: options.plan ?? 'standard',
    currency: options.currency ?? 'USD',
    locationNames: [],
  });
  for (let i = 0; i < options.locations; i++)
    addLocation(gen, shop, LOCATION_NAMES[i] ?? `Location ${i + 1}`);
  const at = (t: number) => clock.set(new Date(t * 1000));
  const start = now - history;
  const products = makeProducts(gen, shop, rng, options, (i) =>
    at(start + Math.floor(((i + 1) * (history - DAY)) / (options.products + 1))),
  );
  const customers = makeCustomers(gen, shop, rng, options.customers, (i) =>
    at(start + Math.floor(((i + 1) * (history - DAY)) / (options.customers + 1))),
  );
  makeOrders(gen, shop, rng, {
    count: options.orders,
    start: now - Math.min(history, 365 * DAY),
    now,
    products,
    customers,
    at,
  });
  touchLater(rng, products, now);
  for (const kind of [
    'product',
    'variant',
    'inventory_item',
    'inventory_level',
    'customer',
    'order',
    'location',
  ] as ChangeKind[])
    bumpVersion(shop, kind);
  return shop;
}

function makeProducts(
  gen: Store,
  shop: ShopData,
  rng: Rng,
  options: GenerateOptions,
  at: (i: number) => void,
): ProductRecord[] {
  const locationIds = [...shop.locations.keys()];
  const out: ProductRecord[] = [];
  for (let i = 0; i < options.products; i++) {
    at(i);
    out.push(createProduct(gen, shop, productInput(rng, i + 1, options.variantsPerProduct, locationIds)));
  }
  return out;
}

/** Some products were edited after creation. */
function touchLater(rng: Rng, products: ProductRecord[], now: number): void {
  for (const p of products) {
    if (rng.chance(0.3)) p.updatedAt = Math.min(now, p.createdAt + rng.int(DAY, 90 * DAY));
  }
}

function makeCustomers(
  gen: Store,
  shop: ShopData,
  rng: Rng,
  count: number,
  at: (i: number) => void,
): CustomerRecord[] {
  const out: CustomerRecord[] = [];
  for (let i = 0; i < count; i++) {
    at(i);
    out.push(createCustomer(gen, shop, customerInput(rng, i + 1)));
  }
  return out;
}

interface OrderPlan {
  count: number;
  start: number;
  now: number;
  products: ProductRecord[];
  customers: CustomerRecord[];
  at: (t: number) => void;
}

function makeOrders(gen: Store, shop: ShopData, rng: Rng, plan: OrderPlan): void {
  const span = plan.now - plan.start - 3600;
  for (let i = 0; i < plan.count; i++) {
    const t = plan.start + Math.floor(((i + 1) * span) / (plan.count + 1));
    plan.at(t);
    const known = upTo(plan.customers, t);
    const customer = known > 0 && rng.chance(0.85) ? plan.customers[rng.int(0, known - 1)] : undefined;
    const order = placeRandomOrder(gen, shop, rng, plan.products, customer, t);
    if (order !== null) afterOrder(gen, shop, rng, order, t, plan);
  }
}

/** Number of customers created at or before t (customers are in creation order). */
function upTo(customers: CustomerRecord[], t: number): number {
  let lo = 0;
  let hi = customers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((customers[mid] as CustomerRecord).createdAt <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function placeRandomOrder(
  gen: Store,
  shop: ShopData,
  rng: Rng,
  products: ProductRecord[],
  customer: CustomerRecord | undefined,
  t: number,
): number | null {
  if (products.length === 0) return null;
  const lines = [];
  const n = rng.int(1, 4);
  for (let j = 0; j < n; j++) {
    const product = rng.pick(products);
    const variantId = rng.pick(product.variantIds);
    if (shop.variants.has(variantId))
      lines.push({ variantId, quantity: rng.chance(0.8) ? 1 : rng.int(2, 4) });
  }
  const presentment = rng.chance(0.7) ? null : rng.pick(PRESENTMENT);
  const address = customer?.addresses[0];
  const order = placeOrder(gen, shop, {
    lines,
    ...(customer ? { customerId: customer.id } : { email: `guest${t % 100000}@example.net` }),
    ...(presentment ? { presentmentCurrency: presentment.currency, exchangeRate: presentment.rate } : {}),
    taxRate: rng.pick([0, 0.07, 0.1, 0.19, 0.2]),
    tags: rng.chance(0.2) ? ['wholesale'] : [],
    note: rng.chance(0.05) ? 'Gift wrap, s’il vous plaît 🎁' : null,
    shippingAddress: address ? { ...address } : null,
    at: t,
  });
  return order.id;
}

function afterOrder(gen: Store, shop: ShopData, rng: Rng, orderId: number, t: number, plan: OrderPlan): void {
  const later = (hours: number) => plan.at(Math.min(plan.now, t + hours * 3600));
  const roll = rng.next();
  if (roll < 0.05) {
    later(rng.int(1, 48));
    cancelOrder(gen, shop, orderId, {
      reason: rng.pick(['CUSTOMER', 'INVENTORY', 'FRAUD', 'DECLINED'] as const),
    });
    return;
  }
  const old = plan.now - t > 3 * DAY;
  if (old && rng.chance(0.85)) {
    later(rng.int(2, 72));
    fulfillOrder(gen, shop, orderId);
  }
  if (roll > 0.94) {
    const order = shop.orders.get(orderId);
    const line = order?.lineItems[0];
    if (!line) return;
    later(rng.int(72, 400));
    refundOrder(gen, shop, orderId, {
      lines: [{ lineItemId: line.id, quantity: 1, restock: rng.chance(0.5) }],
      note: 'Damaged in transit',
    });
  }
}
