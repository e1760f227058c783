import { hash } from 'node:crypto';
import type {
  Address,
  FinancialStatus,
  FulfillmentStatus,
  OptionValue,
  ProductStatus,
  ShippingAddress,
} from '../entities.ts';
import { normaliseMoney } from '../money.ts';
import { normaliseTags } from '../text.ts';

/**
 * Canonical snapshots: the synced fields of an entity as plain JSON with a stable key order,
 * normalised money, sorted tags and no ids. Two sides agree on a record exactly when their
 * snapshot hashes agree.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** JSON with object keys sorted at every level; undefined members are dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

/**
 * sha256 (hex) of the canonical JSON, in one call: a Hash object per record (createHash, update,
 * digest) cost about half again as much, and every record a run compares is hashed on both sides.
 */
export function snapshotHash(snapshot: unknown): string {
  return hash('sha256', canonicalJson(snapshot), 'hex');
}

const money = (v: string): string => normaliseMoney(v);
const moneyOrNull = (v: string | null): string | null => (v === null ? null : normaliseMoney(v));
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export interface ProductSyncFields {
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: readonly string[];
  variants: readonly {
    sku: string | null;
    barcode: string | null;
    price: string;
    compareAtPrice: string | null;
    optionValues: readonly OptionValue[];
    position: number;
  }[];
}

/** A product's variants in the order its snapshot lists them (by position; ties keep their order). */
export function variantsInSnapshotOrder<V extends { position: number }>(variants: readonly V[]): V[] {
  return [...variants].sort((a, b) => a.position - b.position);
}

export function productSnapshot(p: ProductSyncFields): Json {
  return {
    title: p.title,
    handle: p.handle,
    descriptionHtml: p.descriptionHtml,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    tags: normaliseTags(p.tags),
    variants: variantsInSnapshotOrder(p.variants).map(variantSnapshot),
  };
}

/** One variant as its product's snapshot lists it. */
export function variantSnapshot(v: ProductSyncFields['variants'][number]): { [key: string]: Json } {
  return {
    sku: v.sku,
    barcode: v.barcode,
    price: money(v.price),
    compareAtPrice: moneyOrNull(v.compareAtPrice),
    optionValues: v.optionValues.map((o) => ({ name: o.name, value: o.value })),
    position: v.position,
  };
}

export interface CustomerSyncFields {
  email: string | null;
  firstName: string;
  lastName: string;
  phone: string | null;
  note: string;
  tags: readonly string[];
  addresses: readonly Address[];
}

export function customerSnapshot(c: CustomerSyncFields): Json {
  return {
    email: c.email === null ? null : c.email.trim().toLowerCase(),
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    note: c.note,
    tags: normaliseTags(c.tags),
    addresses: c.addresses.map((a) => ({ ...a })) as Json,
  };
}

export interface OrderSyncFields {
  name: string;
  number: number;
  email: string | null;
  phone: string | null;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  currency: string;
  subtotalPrice: string;
  totalTax: string;
  totalPrice: string;
  note: string;
  tags: readonly string[];
  shippingAddress: ShippingAddress | null;
  processedAt: Date;
  cancelledAt: Date | null;
  closedAt: Date | null;
  lineItems: readonly {
    position: number;
    sku: string | null;
    title: string;
    quantity: number;
    unitPrice: string;
  }[];
}

/**
 * An order without a shipping address has no `shippingAddress` key, so the snapshots (and hashes) of
 * orders synced before Retailos kept addresses stay what they were for every order that has none.
 */
export function orderSnapshot(o: OrderSyncFields): Json {
  return {
    name: o.name,
    number: o.number,
    email: o.email,
    phone: o.phone,
    financialStatus: o.financialStatus,
    fulfillmentStatus: o.fulfillmentStatus,
    currency: o.currency,
    subtotalPrice: money(o.subtotalPrice),
    totalTax: money(o.totalTax),
    totalPrice: money(o.totalPrice),
    note: o.note,
    tags: normaliseTags(o.tags),
    ...(o.shippingAddress === null ? {} : { shippingAddress: { ...o.shippingAddress } }),
    processedAt: iso(o.processedAt),
    cancelledAt: iso(o.cancelledAt),
    closedAt: iso(o.closedAt),
    lineItems: [...o.lineItems]
      .sort((a, b) => a.position - b.position)
      .map((l) => ({
        position: l.position,
        sku: l.sku,
        title: l.title,
        quantity: l.quantity,
        unitPrice: money(l.unitPrice),
      })),
  };
}

export interface LocationSyncFields {
  name: string;
  address: Readonly<Record<string, string>>;
  active: boolean;
}

export function locationSnapshot(l: LocationSyncFields): Json {
  return { name: l.name, address: { ...l.address }, active: l.active };
}

/**
 * The one snapshot of a stock level: what its sync base holds (the quantities of Shopify's Retailos
 * has counted) and what its Sync History entries hold before and after. (Entries written before this
 * shape held `{available}` or `{available, on_hand}`; migration 0028 renamed `on_hand`, the oldest
 * entries keep `available` alone.)
 */
export type InventoryLevelSnapshot = { available: number; onHand: number };

export function inventoryLevelSnapshot(l: { available: number; onHand: number }): InventoryLevelSnapshot {
  return { available: l.available, onHand: l.onHand };
}
