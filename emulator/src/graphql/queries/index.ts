import { appNamespace, findDefinition, gid } from '../../store/index.ts';
import type { RootResolver } from '../context.ts';
import { customIdOf, ownerOfCustomId } from '../mutations/metafields.ts';
import { definitionView } from '../views/metafields.ts';
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
  // productByIdentifier(identifier: ProductIdentifierInput!): the product with that id, handle or
  // custom id, or null.
  productByIdentifier: (args, ctx) => {
    const identifier = (args['identifier'] ?? {}) as { id?: unknown; handle?: unknown; customId?: unknown };
    if (identifier.id != null) return findNode(ctx, 'productByIdentifier', String(identifier.id), 'Product');
    let id: number | undefined;
    if (identifier.customId != null) {
      id = ownerOfCustomId(ctx, 'PRODUCT', customIdOf(ctx, 'PRODUCT', identifier.customId));
    } else if (typeof identifier.handle === 'string') id = ctx.shop.handles.get(identifier.handle);
    if (id === undefined) {
      requireScope(ctx, 'productByIdentifier', productResource(ctx.shop).scopes);
      return null;
    }
    return findNode(ctx, 'productByIdentifier', gid('Product', id), 'Product');
  },
  // customerByIdentifier(identifier: CustomerIdentifierInput!): by id, email address (any case),
  // phone number or custom id, or null.
  customerByIdentifier: (args, ctx) => {
    const identifier = (args['identifier'] ?? {}) as Record<string, unknown>;
    if (identifier['id'] != null)
      return findNode(ctx, 'customerByIdentifier', String(identifier['id']), 'Customer');
    let found: number | undefined;
    const email = identifier['emailAddress'];
    const phone = identifier['phoneNumber'];
    if (identifier['customId'] != null) {
      found = ownerOfCustomId(ctx, 'CUSTOMER', customIdOf(ctx, 'CUSTOMER', identifier['customId']));
    } else {
      for (const c of ctx.shop.customers.values()) {
        const match =
          typeof email === 'string'
            ? c.email?.toLowerCase() === email.toLowerCase()
            : typeof phone === 'string' && c.phone === phone;
        if (match) {
          found = c.id;
          break;
        }
      }
    }
    if (found === undefined) {
      requireScope(ctx, 'customerByIdentifier', customerResource().scopes);
      return null;
    }
    return findNode(ctx, 'customerByIdentifier', gid('Customer', found), 'Customer');
  },
  // metafieldDefinition(identifier: {ownerType, namespace, key}): namespace omitted or `$app…` resolves
  // to the app's reserved namespace.
  metafieldDefinition: (args, ctx) => {
    if (args['id'] != null) throw notImplemented("Argument 'id' on metafieldDefinition");
    const identifier = args['identifier'] as {
      ownerType: string;
      namespace?: string | null;
      key: string;
    } | null;
    if (!identifier) return null;
    if (identifier.ownerType !== 'PRODUCT' && identifier.ownerType !== 'CUSTOMER')
      throw notImplemented(`Metafields of owner type ${identifier.ownerType}`);
    const d = findDefinition(
      ctx.shop,
      identifier.ownerType,
      appNamespace(ctx.appKey, identifier.namespace),
      identifier.key,
    );
    return d ? definitionView(ctx, d) : null;
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
