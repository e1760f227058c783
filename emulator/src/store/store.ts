import { nowSeconds } from './clock.ts';
import { nextId } from './ids.ts';
import type {
  ChangeEvent,
  ChangeKind,
  ChangeListener,
  Clock,
  LocationRecord,
  Plan,
  ShopData,
} from './types.ts';

/** All shops of one emulator process, a clock and the change-event bus. */
export interface Store {
  clock: Clock;
  shops: Map<string, ShopData>;
  listeners: Set<ChangeListener>;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'INVALID' | 'CONFLICT' | 'HAS_ORDERS',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export function createStore(clock: Clock): Store {
  return { clock, shops: new Map(), listeners: new Set() };
}

export interface CreateShopInput {
  /** `x` or `x.myshopify.com` */
  domain: string;
  name?: string;
  plan?: Plan;
  currency?: string;
  email?: string;
  /** First numeric id of every record type; default spaces shops 10^10 apart. */
  idBase?: number;
  /** Default: one location named "Shop location". Pass [] for none. */
  locationNames?: string[];
}

export function normalizeShopDomain(domain: string): string {
  const lower = domain.toLowerCase();
  return lower.endsWith('.myshopify.com') ? lower : `${lower}.myshopify.com`;
}

/** Creates an empty shop (plus its locations). Throws CONFLICT if it exists. */
export function createShop(store: Store, input: CreateShopInput): ShopData {
  const domain = normalizeShopDomain(input.domain);
  if (store.shops.has(domain)) throw new StoreError('CONFLICT', `shop ${domain} exists`);
  const now = nowSeconds(store.clock);
  const shop: ShopData = {
    domain,
    name: input.name ?? domain.replace('.myshopify.com', ''),
    plan: input.plan ?? 'standard',
    currency: input.currency ?? 'USD',
    email: input.email ?? `owner@${domain}`,
    ianaTimezone: 'UTC',
    createdAt: now,
    counters: new Map(),
    idBase: input.idBase ?? (store.shops.size + 1) * 10_000_000_000,
    nextOrderNumber: 1001,
    apps: new Map(),
    locations: new Map(),
    products: new Map(),
    handles: new Map(),
    variants: new Map(),
    inventoryItems: new Map(),
    customers: new Map(),
    orders: new Map(),
    ordersByCustomer: new Map(),
    deletionEvents: [],
    webhookSubscriptions: new Map(),
    idempotency: new Map(),
    metafieldDefinitions: new Map(),
    metafields: new Map(),
    uniqueMetafieldValues: new Map(),
    versions: new Map(),
  };
  store.shops.set(domain, shop);
  for (const name of input.locationNames ?? ['Shop location']) addLocation(store, shop, name);
  return shop;
}

/** The shop or a NOT_FOUND StoreError. Accepts `x` or `x.myshopify.com`. */
export function getShop(store: Store, domain: string): ShopData {
  const shop = store.shops.get(normalizeShopDomain(domain));
  if (!shop) throw new StoreError('NOT_FOUND', `unknown shop ${domain}`);
  return shop;
}

export function findShop(store: Store, domain: string): ShopData | undefined {
  return store.shops.get(normalizeShopDomain(domain));
}

/** Adds a location; existing inventory items are not stocked there until connected. */
export function addLocation(store: Store, shop: ShopData, name: string): LocationRecord {
  const now = nowSeconds(store.clock);
  const location: LocationRecord = {
    id: nextId(shop, 'Location'),
    name,
    isActive: true,
    fulfillsOnlineOrders: true,
    address: {
      address1: null,
      address2: null,
      city: null,
      province: null,
      provinceCode: null,
      country: null,
      countryCode: null,
      zip: null,
      phone: null,
    },
    createdAt: now,
    updatedAt: now,
  };
  shop.locations.set(location.id, location);
  bumpVersion(shop, 'location');
  return location;
}

/** Subscribes to change events of every shop. Returns the unsubscribe function. */
export function subscribe(store: Store, listener: ChangeListener): () => void {
  store.listeners.add(listener);
  return () => store.listeners.delete(listener);
}

export function bumpVersion(shop: ShopData, kind: ChangeKind): void {
  shop.versions.set(kind, (shop.versions.get(kind) ?? 0) + 1);
}

/** Records a change: bumps the kind's version and notifies listeners. */
export function emitChange(store: Store, event: ChangeEvent): void {
  const shop = store.shops.get(event.shop);
  if (shop) bumpVersion(shop, event.kind);
  for (const listener of store.listeners) listener(event);
}
