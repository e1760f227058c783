import { GraphQLError } from 'graphql';
import { isWellFormedGid, parseGid } from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { notImplemented } from '../errors.ts';
import type { View } from '../views/common.ts';
import { customerView, orderVisible, orderView } from '../views/order.ts';
import {
  inventoryItemView,
  inventoryLevelView,
  locationView,
  productView,
  variantView,
} from '../views/product.ts';
import { webhookSubscriptionView } from '../views/shop.ts';
import { requireScope } from './list.ts';

type Finder = {
  scopes: string[];
  find: (ctx: ExecContext, id: number, params: URLSearchParams) => View | null;
};

const FINDERS: Record<string, Finder> = {
  Product: {
    scopes: ['read_products'],
    find: (ctx, id) => maybe(ctx.shop.products.get(id), (p) => productView(ctx, p)),
  },
  ProductVariant: {
    scopes: ['read_products'],
    find: (ctx, id) => maybe(ctx.shop.variants.get(id), (v) => variantView(ctx, v)),
  },
  InventoryItem: {
    scopes: ['read_inventory', 'read_products'],
    find: (ctx, id) => maybe(ctx.shop.inventoryItems.get(id), (i) => inventoryItemView(ctx, i)),
  },
  InventoryLevel: {
    scopes: ['read_inventory'],
    find: (ctx, locationId, params) => {
      const item = ctx.shop.inventoryItems.get(Number(params.get('inventory_item_id')));
      return maybe(item?.levels.get(locationId), (l) => inventoryLevelView(ctx, l));
    },
  },
  Location: {
    scopes: ['read_locations', 'read_inventory'],
    find: (ctx, id) => maybe(ctx.shop.locations.get(id), (l) => locationView(ctx, l)),
  },
  Customer: {
    scopes: ['read_customers'],
    find: (ctx, id) => maybe(ctx.shop.customers.get(id), (c) => customerView(ctx, c)),
  },
  Order: {
    scopes: ['read_orders'],
    find: (ctx, id) => {
      const order = ctx.shop.orders.get(id);
      return order && orderVisible(ctx, order) ? orderView(ctx, order) : null;
    },
  },
  WebhookSubscription: {
    scopes: [],
    find: (ctx, id) => {
      const sub = ctx.shop.webhookSubscriptions.get(id);
      return sub && sub.appKey === ctx.appKey ? webhookSubscriptionView(ctx, sub) : null;
    },
  },
};

function maybe<T>(record: T | undefined, view: (r: T) => View): View | null {
  return record === undefined ? null : view(record);
}

/** Shopify's error for an ID argument that is not a global id. */
export function invalidGid(id: string): GraphQLError {
  return new GraphQLError(`Invalid global id '${id}'`, {
    extensions: { code: 'argumentLiteralsIncompatible', typeName: 'CoercionError' },
  });
}

/**
 * Looks up any object by GID. `expected` limits the type (e.g. `product(id:)`);
 * a different type answers null, as Shopify does. Ids are 64-bit: a well-formed GID whose id no
 * record has (past 2^53 included) names nothing and answers null; only a malformed one is an error.
 */
export function findNode(ctx: ExecContext, field: string, id: string, expected?: string): View | null {
  const parsed = parseGid(id);
  if (!parsed) {
    if (isWellFormedGid(id)) return null;
    throw invalidGid(id);
  }
  if (expected !== undefined && parsed.type !== expected) return null;
  const finder = FINDERS[parsed.type];
  if (!finder) throw notImplemented(`Lookup of ${parsed.type} objects by id`);
  if (finder.scopes.length > 0) requireScope(ctx, field, finder.scopes);
  return finder.find(ctx, parsed.id, parsed.params);
}
