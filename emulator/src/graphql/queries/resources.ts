import type {
  ChangeKind,
  CustomerRecord,
  InventoryItemRecord,
  LocationRecord,
  OrderRecord,
  ProductRecord,
  ShopData,
  VariantRecord,
} from '../../store/index.ts';
import type { SortValue } from '../connection.ts';
import type { ExecContext } from '../context.ts';
import type { SearchSpec } from '../search.ts';
import type { View } from '../views/common.ts';
import { customerView, orderFilter, orderView } from '../views/order.ts';
import { inventoryItemView, locationView, productView, variantView } from '../views/product.ts';

/** One listable record type: where it lives, how it is searched, sorted and shown. */
export interface Resource<T> {
  kind: ChangeKind;
  /** Any of these scopes grants read access. */
  scopes: string[];
  all: (shop: ShopData) => Iterable<T>;
  id: (item: T) => number;
  search: SearchSpec<T>;
  sortKeys: Record<string, (item: T) => SortValue>;
  /** Filter hiding records from this caller (null: all visible). */
  visible?: (ctx: ExecContext) => ((item: T) => boolean) | null;
  view: (ctx: ExecContext, item: T) => View;
}

const lower = (s: string | null) => (s ?? '').toLowerCase();

function skusOf(shop: ShopData, product: ProductRecord): string[] {
  return product.variantIds.flatMap((id) => shop.variants.get(id)?.sku ?? []);
}

export function productResource(shop: ShopData): Resource<ProductRecord> {
  return {
    kind: 'product',
    scopes: ['read_products'],
    all: (s) => s.products.values(),
    id: (p) => p.id,
    search: {
      fields: {
        id: { kind: 'id', get: (p) => p.id },
        title: { kind: 'string', get: (p) => p.title },
        handle: { kind: 'string', get: (p) => p.handle },
        status: { kind: 'string', get: (p) => p.status },
        vendor: { kind: 'string', get: (p) => p.vendor },
        product_type: { kind: 'string', get: (p) => p.productType },
        tag: { kind: 'list', get: (p) => p.tags },
        tag_not: { kind: 'list', get: (p) => p.tags },
        sku: { kind: 'list', get: (p) => skusOf(shop, p) },
        created_at: { kind: 'date', get: (p) => p.createdAt },
        updated_at: { kind: 'date', get: (p) => p.updatedAt },
        published_at: { kind: 'date', get: (p) => p.publishedAt },
      },
      freeText: (p) => [p.title, p.vendor, p.productType, ...p.tags, ...skusOf(shop, p)],
    },
    sortKeys: {
      ID: (p) => p.id,
      TITLE: (p) => lower(p.title),
      CREATED_AT: (p) => p.createdAt,
      UPDATED_AT: (p) => p.updatedAt,
      PRODUCT_TYPE: (p) => lower(p.productType),
      VENDOR: (p) => lower(p.vendor),
      PUBLISHED_AT: (p) => p.publishedAt ?? 0,
    },
    view: productView,
  };
}

export function variantResource(shop: ShopData): Resource<VariantRecord> {
  return {
    kind: 'variant',
    scopes: ['read_products'],
    all: (s) => s.variants.values(),
    id: (v) => v.id,
    search: {
      fields: {
        id: { kind: 'id', get: (v) => v.id },
        sku: { kind: 'string', get: (v) => v.sku },
        barcode: { kind: 'string', get: (v) => v.barcode },
        title: { kind: 'string', get: (v) => v.title },
        product_id: { kind: 'id', get: (v) => v.productId },
        created_at: { kind: 'date', get: (v) => v.createdAt },
        updated_at: { kind: 'date', get: (v) => v.updatedAt },
        tag: { kind: 'list', get: (v) => shop.products.get(v.productId)?.tags ?? [] },
      },
      freeText: (v) => [v.sku, v.title, v.barcode, shop.products.get(v.productId)?.title ?? null],
    },
    sortKeys: {
      ID: (v) => v.id,
      SKU: (v) => lower(v.sku),
      TITLE: (v) => lower(v.title),
      NAME: (v) => lower(`${shop.products.get(v.productId)?.title ?? ''} - ${v.title}`),
      FULL_TITLE: (v) => lower(`${shop.products.get(v.productId)?.title ?? ''} - ${v.title}`),
    },
    view: variantView,
  };
}

export const inventoryItemResource: Resource<InventoryItemRecord> = {
  kind: 'inventory_item',
  scopes: ['read_inventory', 'read_products'],
  all: (s) => s.inventoryItems.values(),
  id: (i) => i.id,
  search: {
    fields: {
      id: { kind: 'id', get: (i) => i.id },
      sku: { kind: 'string', get: (i) => i.sku },
      created_at: { kind: 'date', get: (i) => i.createdAt },
      updated_at: { kind: 'date', get: (i) => i.updatedAt },
    },
    freeText: (i) => [i.sku],
  },
  sortKeys: { ID: (i) => i.id },
  view: inventoryItemView,
};

export const locationResource: Resource<LocationRecord> = {
  kind: 'location',
  scopes: ['read_locations', 'read_inventory', 'read_markets_home'],
  all: (s) => s.locations.values(),
  id: (l) => l.id,
  search: {
    fields: {
      id: { kind: 'id', get: (l) => l.id },
      name: { kind: 'string', get: (l) => l.name },
      active: { kind: 'boolean', get: (l) => l.isActive },
    },
    freeText: (l) => [l.name],
  },
  sortKeys: { ID: (l) => l.id, NAME: (l) => lower(l.name) },
  view: locationView,
};

export function customerResource(): Resource<CustomerRecord> {
  return {
    kind: 'customer',
    scopes: ['read_customers'],
    all: (s) => s.customers.values(),
    id: (c) => c.id,
    search: {
      fields: {
        id: { kind: 'id', get: (c) => c.id },
        email: { kind: 'string', get: (c) => c.email },
        first_name: { kind: 'string', get: (c) => c.firstName },
        last_name: { kind: 'string', get: (c) => c.lastName },
        phone: { kind: 'string', get: (c) => c.phone },
        tag: { kind: 'list', get: (c) => c.tags },
        tag_not: { kind: 'list', get: (c) => c.tags },
        country: {
          kind: 'list',
          get: (c) => c.addresses.flatMap((a) => [a.country ?? '', a.countryCode ?? '']),
        },
        created_at: { kind: 'date', get: (c) => c.createdAt },
        updated_at: { kind: 'date', get: (c) => c.updatedAt },
      },
      freeText: (c) => [
        c.firstName,
        c.lastName,
        c.email,
        c.phone,
        `${c.firstName ?? ''} ${c.lastName ?? ''}`,
      ],
    },
    sortKeys: {
      ID: (c) => c.id,
      CREATED_AT: (c) => c.createdAt,
      UPDATED_AT: (c) => c.updatedAt,
      NAME: (c) => lower(`${c.firstName ?? ''} ${c.lastName ?? ''}`),
    },
    view: customerView,
  };
}

function orderStatus(o: OrderRecord): string[] {
  if (o.cancelledAt !== null) return ['cancelled', 'closed', 'any'];
  return o.closedAt !== null ? ['closed', 'any'] : ['open', 'not_closed', 'any'];
}

const FULFILLMENT_WORDS: Record<OrderRecord['fulfillmentStatus'], string[]> = {
  UNFULFILLED: ['unfulfilled', 'unshipped'],
  PARTIALLY_FULFILLED: ['partial'],
  FULFILLED: ['fulfilled', 'shipped'],
};

export function orderResource(): Resource<OrderRecord> {
  return {
    kind: 'order',
    scopes: ['read_orders'],
    all: (s) => s.orders.values(),
    id: (o) => o.id,
    search: {
      fields: {
        id: { kind: 'id', get: (o) => o.id },
        name: { kind: 'list', get: (o) => [`#${o.number}`, String(o.number)] },
        email: { kind: 'string', get: (o) => o.email },
        status: { kind: 'list', get: orderStatus },
        financial_status: { kind: 'string', get: (o) => o.financialStatus.toLowerCase() },
        fulfillment_status: { kind: 'list', get: (o) => FULFILLMENT_WORDS[o.fulfillmentStatus] },
        tag: { kind: 'list', get: (o) => o.tags },
        tag_not: { kind: 'list', get: (o) => o.tags },
        sku: { kind: 'list', get: (o) => o.lineItems.flatMap((l) => l.sku ?? []) },
        customer_id: { kind: 'id', get: (o) => o.customerId },
        created_at: { kind: 'date', get: (o) => o.createdAt },
        updated_at: { kind: 'date', get: (o) => o.updatedAt },
        processed_at: { kind: 'date', get: (o) => o.processedAt },
      },
      freeText: (o) => [`#${o.number}`, o.email, ...o.lineItems.map((l) => l.sku)],
    },
    sortKeys: {
      ID: (o) => o.id,
      CREATED_AT: (o) => o.createdAt,
      UPDATED_AT: (o) => o.updatedAt,
      PROCESSED_AT: (o) => o.processedAt,
      ORDER_NUMBER: (o) => o.number,
      TOTAL_PRICE: (o) => Number(o.total.shop),
    },
    visible: orderFilter,
    view: orderView,
  };
}
