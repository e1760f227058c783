import {
  gid,
  inventoryLevelGid,
  isoSeconds,
  type CustomerRecord,
  type OrderRecord,
  type ProductRecord,
  type ShopData,
} from '../store/index.ts';

/** JSON views of store records for the control API (camelCase, GIDs and numeric ids, ISO times). */
export function productView(shop: ShopData, p: ProductRecord): Record<string, unknown> {
  return {
    id: p.id,
    gid: gid('Product', p.id),
    title: p.title,
    handle: p.handle,
    status: p.status,
    vendor: p.vendor,
    productType: p.productType,
    tags: p.tags,
    descriptionHtml: p.descriptionHtml,
    createdAt: isoSeconds(p.createdAt),
    updatedAt: isoSeconds(p.updatedAt),
    variants: p.variantIds.map((id) => variantView(shop, id)).filter((v) => v !== null),
  };
}

export function variantView(shop: ShopData, id: number): Record<string, unknown> | null {
  const v = shop.variants.get(id);
  if (!v) return null;
  const item = shop.inventoryItems.get(v.inventoryItemId);
  return {
    id: v.id,
    gid: gid('ProductVariant', v.id),
    title: v.title,
    sku: v.sku,
    price: v.price,
    compareAtPrice: v.compareAtPrice,
    inventoryItemId: v.inventoryItemId,
    updatedAt: isoSeconds(v.updatedAt),
    inventory: [...(item?.levels.values() ?? [])].map((l) => ({
      gid: inventoryLevelGid(l.locationId, l.itemId),
      locationId: l.locationId,
      ...l.quantities,
      onHand:
        l.quantities.available +
        l.quantities.committed +
        l.quantities.damaged +
        l.quantities.quality_control +
        l.quantities.reserved +
        l.quantities.safety_stock,
    })),
  };
}

export function customerView(c: CustomerRecord): Record<string, unknown> {
  return {
    ...c,
    gid: gid('Customer', c.id),
    createdAt: isoSeconds(c.createdAt),
    updatedAt: isoSeconds(c.updatedAt),
  };
}

export function orderView(o: OrderRecord): Record<string, unknown> {
  return {
    ...o,
    gid: gid('Order', o.id),
    name: `#${o.number}`,
    createdAt: isoSeconds(o.createdAt),
    updatedAt: isoSeconds(o.updatedAt),
    processedAt: isoSeconds(o.processedAt),
    cancelledAt: o.cancelledAt === null ? null : isoSeconds(o.cancelledAt),
    closedAt: o.closedAt === null ? null : isoSeconds(o.closedAt),
  };
}

export function shopSummary(shop: ShopData): Record<string, unknown> {
  return {
    domain: shop.domain,
    name: shop.name,
    plan: shop.plan,
    currency: shop.currency,
    counts: {
      products: shop.products.size,
      variants: shop.variants.size,
      customers: shop.customers.size,
      orders: shop.orders.size,
      locations: shop.locations.size,
    },
    locations: [...shop.locations.values()].map((l) => ({
      id: l.id,
      gid: gid('Location', l.id),
      name: l.name,
      isActive: l.isActive,
    })),
    apps: [...shop.apps.values()],
    webhookSubscriptions: [...shop.webhookSubscriptions.values()],
  };
}

/** Newest-first page of records by id. */
export function page<T extends { id: number }>(
  records: Iterable<T>,
  limit: number,
  after: number | null,
): T[] {
  const all = [...records].sort((a, b) => a.id - b.id);
  const start = after === null ? 0 : all.findIndex((r) => r.id > after);
  return start < 0 ? [] : all.slice(start, start + limit);
}
