import type { BulkResource } from './bulk-queries.ts';

/**
 * Page sizes for the paginated import, from Shopify's cost formula (reference §4.1): a scalar or enum
 * costs 0, an object 1 (a list of objects without `first`, like `selectedOptions`, counts once), a
 * connection 2 + first × the cost of one item (its node: 1 plus the objects inside). A query asking
 * for more than 1000 points is refused before it runs, so every page is sized to stay at or under it.
 * The cost is requested up front and what was not used is refunded, so a full page costs its actual
 * size: asking for big pages costs nothing extra, it only needs the bucket to hold the request.
 */
export const MAX_QUERY_COST = 1000;
/** Shopify's largest `first`. */
export const MAX_FIRST = 250;

/** Requested cost of a connection of `first` items each costing `itemCost`. */
export const connectionCost = (first: number, itemCost: number): number => 2 + first * itemCost;

/** The largest `first` whose connection stays within `budget` points. */
export const firstWithin = (budget: number, itemCost: number): number =>
  Math.max(0, Math.min(MAX_FIRST, Math.floor((budget - 2) / itemCost)));

/** Cost of one item of each connection the import reads (the fields in bulk-queries.ts FIELDS). */
export const ITEM_COST = {
  /** node · selectedOptions · inventoryItem */
  variant: 3,
  /** node (scalars only), plus its variants connection */
  product: 1,
  /** node · defaultEmailAddress · defaultPhoneNumber · addresses */
  customer: 4,
  /** node · originalUnitPriceSet · its shopMoney · variant */
  lineItem: 4,
  /** node · customer · shippingAddress · three money bags of two objects each, plus its lineItems connection */
  order: 9,
  /** node · quantities · item */
  level: 3,
  /** node (id), plus its inventoryLevels connection */
  location: 1,
} as const;

export interface PagePlan {
  /** Records per page. */
  first: number;
  /** Children per record in the page (variants, line items); records with more get follow-up queries. */
  childFirst: number;
  /** Requested cost of one page. */
  requestedCost: number;
  /** Children per follow-up query on one record with more than `childFirst`. */
  followUpFirst: number;
}

/** Children asked for with each record: twice the store's average, at least 4, at most 100. */
export function childFirstFor(averageChildren: number | null, fallback: number): number {
  if (averageChildren === null || !Number.isFinite(averageChildren) || averageChildren <= 0) return fallback;
  return Math.min(100, Math.max(4, Math.ceil(averageChildren * 2)));
}

/** Line items per order when nothing is known about the store's orders. */
export const DEFAULT_LINES_PER_ORDER = 5;
export const DEFAULT_VARIANTS_PER_PRODUCT = 6;

/** Cost of one item of each page's top connection, with `childFirst` children. */
function itemCost(resource: BulkResource, childFirst: number): number {
  switch (resource) {
    case 'products':
      return ITEM_COST.product + connectionCost(childFirst, ITEM_COST.variant);
    case 'customers':
      return ITEM_COST.customer;
    case 'orders':
      return ITEM_COST.order + connectionCost(childFirst, ITEM_COST.lineItem);
    case 'inventory':
      return ITEM_COST.level;
  }
}

/**
 * Requested cost of one page of `first` records with `childFirst` children each. Inventory levels
 * are read one location at a time: `first` is levels, inside `locations(first: 1)`.
 */
export function pageCost(resource: BulkResource, first: number, childFirst: number): number {
  const cost = connectionCost(first, itemCost(resource, childFirst));
  return resource === 'inventory' ? connectionCost(1, ITEM_COST.location + cost) : cost;
}

/**
 * The page of each resource: as many records as fit in `maxCost` points with `childFirst` children each.
 *   products  products(first: N) { variants(first: M) }          2 + N × (1 + 2 + 3M)
 *   customers customers(first: N)                                2 + 4N
 *   orders    orders(first: N) { lineItems(first: L) }           2 + N × (9 + 2 + 4L)
 *   inventory locations(first: 1) { inventoryLevels(first: N) }  2 + (1 + 2 + 3N)
 */
export function pagePlan(resource: BulkResource, childFirst: number, maxCost = MAX_QUERY_COST): PagePlan {
  const child = resource === 'products' || resource === 'orders' ? childFirst : 0;
  const budget = resource === 'inventory' ? maxCost - 2 - ITEM_COST.location : maxCost;
  const first = Math.max(1, firstWithin(budget, itemCost(resource, child)));
  const childCost = resource === 'orders' ? ITEM_COST.lineItem : ITEM_COST.variant;
  return {
    first,
    childFirst: child,
    requestedCost: pageCost(resource, first, child),
    followUpFirst: followUpFirst(childCost, maxCost),
  };
}

/** Children fetched per follow-up query on one record: `product(id) { variants(first: n) }`. */
export function followUpFirst(childItemCost: number, maxCost = MAX_QUERY_COST): number {
  return Math.max(1, firstWithin(maxCost - 1, childItemCost));
}

/** What the import knows of a store before choosing how to read it (counts Shopify gave exactly). */
export interface StoreCounts {
  products: number;
  variants: number;
  customers: number;
  orders: number;
  locations: number;
}

/**
 * Points a paged import of the store would actually spend (records returned, not the requested
 * sizes; about two line items per order, since nothing counts them up front).
 */
export function pagedImportPoints(c: StoreCounts): number {
  const pages = (records: number, first: number) => Math.ceil(records / Math.max(1, first)) * 2;
  const products = c.products * (ITEM_COST.product + 2) + c.variants * ITEM_COST.variant;
  const customers = c.customers * ITEM_COST.customer;
  const orders = c.orders * (ITEM_COST.order + 2 + 2 * ITEM_COST.lineItem);
  const levels = c.variants * c.locations * ITEM_COST.level + c.locations * (2 + ITEM_COST.location + 2);
  const overhead = pages(c.products, 40) + pages(c.customers, 249) + pages(c.orders, 30);
  return products + customers + orders + levels + overhead;
}

/**
 * The least time a paged import of `points` can take on this budget: what the bucket holds now is
 * spent at once, the rest arrives at the restore rate.
 */
export function pagedLowerBoundSeconds(
  points: number,
  budget: { currentlyAvailable: number; restoreRate: number },
): number {
  if (budget.restoreRate <= 0) return Infinity;
  return Math.max(0, points - budget.currentlyAvailable) / budget.restoreRate;
}

/**
 * How long to wait before a page of `requested` points: until the bucket holds it again. Zero when it
 * already does (or Shopify said nothing about the bucket).
 */
export function pacingWaitMs(
  requested: number,
  status: { currentlyAvailable: number; restoreRate: number } | undefined,
): number {
  if (!status || status.currentlyAvailable >= requested) return 0;
  if (status.restoreRate <= 0) return 1000;
  return Math.ceil(((requested - status.currentlyAvailable) / status.restoreRate) * 1000);
}

export interface BudgetSeen {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
  /** ISO time it was seen. */
  observedAt: string;
}

/**
 * The bucket now, from what Shopify last said and the time since (it refills at the restore rate, up
 * to its size). Undefined when nothing was seen or no time has passed on this clock (a clock that does
 * not move, or moved back, tells nothing: ask Shopify instead).
 */
export function budgetNow(
  seen: BudgetSeen | null,
  now: Date,
): { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } | undefined {
  if (!seen) return undefined;
  const elapsed = (now.getTime() - Date.parse(seen.observedAt)) / 1000;
  if (!(elapsed > 0)) return undefined;
  const available = Math.min(seen.maximumAvailable, seen.currentlyAvailable + elapsed * seen.restoreRate);
  return { ...seen, currentlyAvailable: Math.floor(available) };
}

/**
 * Records the next page may ask for with `available` points: as many as fit, up to the plan's `first`.
 * `scale` is Shopify's requested cost over the formula's, as last seen (1 when they agree; above 1 if
 * Shopify prices the page higher, so the page still fits).
 */
export function firstAffordable(
  resource: BulkResource,
  plan: { first: number; childFirst: number },
  available: number,
  scale = 1,
): number {
  const base = pageCost(resource, 0, plan.childFirst);
  const each = pageCost(resource, 1, plan.childFirst) - base;
  const fits = Math.floor((available / Math.max(1, scale) - base) / each);
  return Math.max(0, Math.min(plan.first, fits));
}

/**
 * The smallest page worth asking for: a quarter of the full one. When the bucket holds less, the read
 * waits until it holds that much rather than spend round trips on slivers; when it holds more but not
 * a full page, the page shrinks to what it holds, so the bucket is spent down instead of idling at a
 * full page's cost (which would also leave that much unspent when the import ends).
 */
export const minFirst = (plan: { first: number }): number => Math.max(1, Math.ceil(plan.first / 4));
