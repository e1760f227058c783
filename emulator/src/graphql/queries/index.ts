import type { RootResolver } from '../context.ts';
import { locationView } from '../views/product.ts';
import { notImplemented } from '../errors.ts';
import { shopView } from '../views/shop.ts';
import { deletionEventsResolver, webhookSubscriptionsResolver } from './others.ts';
import { countResolver, listResolver, requireScope } from './list.ts';
import { findNode } from './nodes.ts';
import {
  customerResource,
  inventoryItemResource,
  locationResource,
  orderResource,
  productResource,
  variantResource,
} from './resources.ts';

const byId =
  (field: string, type: string): RootResolver =>
  (args, ctx) =>
    findNode(ctx, field, String(args['id']), type);

/** Built-in Query root fields. Missing names answer NOT_IMPLEMENTED_IN_EMULATOR. */
export const QUERY_RESOLVERS: Record<string, RootResolver> = {
  shop: (_args, ctx) => shopView(ctx),
  node: (args, ctx) => findNode(ctx, 'node', String(args['id'])),
  nodes: (args, ctx) => (args['ids'] as string[]).map((id) => findNode(ctx, 'nodes', id)),
  product: byId('product', 'Product'),
  // productByIdentifier(identifier: ProductIdentifierInput!): the product with that id or handle, or
  // null (customId, a metafield lookup, is not emulated).
  productByIdentifier: (args, ctx) => {
    const identifier = (args['identifier'] ?? {}) as { id?: unknown; handle?: unknown; customId?: unknown };
    if (identifier.customId != null) throw notImplemented("Identifier 'customId' of ProductIdentifierInput");
    if (identifier.id != null) return findNode(ctx, 'productByIdentifier', String(identifier.id), 'Product');
    const id = typeof identifier.handle === 'string' ? ctx.shop.handles.get(identifier.handle) : undefined;
    if (id === undefined) {
      requireScope(ctx, 'productByIdentifier', productResource(ctx.shop).scopes);
      return null;
    }
    return findNode(ctx, 'productByIdentifier', `gid://shopify/Product/${id}`, 'Product');
  },
  productVariant: byId('productVariant', 'ProductVariant'),
  inventoryItem: byId('inventoryItem', 'InventoryItem'),
  inventoryLevel: byId('inventoryLevel', 'InventoryLevel'),
  customer: byId('customer', 'Customer'),
  order: byId('order', 'Order'),
  webhookSubscription: byId('webhookSubscription', 'WebhookSubscription'),
  location: (args, ctx) => {
    if (args['id'] != null) return findNode(ctx, 'location', String(args['id']), 'Location');
    requireScope(ctx, 'location', locationResource.scopes);
    const primary = ctx.shop.locations.values().next();
    return primary.done ? null : locationView(ctx, primary.value);
  },
  products: listResolver('products', (ctx) => productResource(ctx.shop)),
  productsCount: countResolver('productsCount', (ctx) => productResource(ctx.shop)),
  productVariants: listResolver('productVariants', (ctx) => variantResource(ctx.shop)),
  productVariantsCount: countResolver('productVariantsCount', (ctx) => variantResource(ctx.shop)),
  inventoryItems: listResolver('inventoryItems', () => inventoryItemResource),
  locations: listResolver('locations', () => locationResource, ['includeInactive', 'includeLegacy']),
  customers: listResolver('customers', () => customerResource()),
  customersCount: countResolver('customersCount', () => customerResource()),
  orders: listResolver('orders', () => orderResource()),
  ordersCount: countResolver('ordersCount', () => orderResource()),
  deletionEvents: deletionEventsResolver,
  webhookSubscriptions: webhookSubscriptionsResolver,
};
