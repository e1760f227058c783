import { GraphQLError } from 'graphql';
import {
  connectLevel,
  disconnectLevel,
  parseGid,
  setQuantity,
  updateVariants,
  type VariantInput,
} from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { notImplemented } from '../errors.ts';
import { inventoryItemView, inventoryLevelView } from '../views/product.ts';
import { mutation, numericId, rejectUnsupported, userError, type Input } from './common.ts';
import { INVENTORY_ITEM_FIELDS, variantFields } from './product-inputs.ts';

/** inventoryItemUpdate: sku / tracked / cost (the sku is the variant's sku). */
export const inventoryItemUpdate = mutation('inventoryItemUpdate', 'write_inventory', (args, ctx) => {
  const id = numericId(args['id'], 'InventoryItem');
  const item = id === null ? undefined : ctx.shop.inventoryItems.get(id);
  if (!item) return { inventoryItem: null, userErrors: [userError(['id'], 'Inventory item does not exist')] };
  const input = args['input'] as Input;
  rejectUnsupported(input, INVENTORY_ITEM_FIELDS, 'InventoryItemInput');
  const variant = ctx.shop.variants.get(item.variantId);
  if (!variant) throw new GraphQLError(`inventory item ${item.id} has no variant`);
  const patch: VariantInput & { id: number } = { ...variantFields({ inventoryItem: input }), id: variant.id };
  updateVariants(ctx.store, ctx.shop, variant.productId, [patch], ctx.appKey);
  return { inventoryItem: inventoryItemView(ctx, item), userErrors: [] };
});

function activateErrors(ctx: ExecContext, itemId: number | null, locationId: number | null) {
  if (itemId === null || !ctx.shop.inventoryItems.has(itemId))
    return [userError(['inventoryItemId'], 'Inventory item does not exist')];
  if (locationId === null || !ctx.shop.locations.has(locationId))
    return [userError(['locationId'], 'Location does not exist')];
  return [];
}

/** inventoryActivate: stocks an item at a location (inventory_levels/connect). */
export const inventoryActivate = mutation('inventoryActivate', 'write_inventory', (args, ctx) => {
  if (args['onHand'] != null) throw notImplemented("Argument 'onHand' on Mutation.inventoryActivate");
  const itemId = numericId(args['inventoryItemId'], 'InventoryItem');
  const locationId = numericId(args['locationId'], 'Location');
  const errors = activateErrors(ctx, itemId, locationId);
  if (errors.length > 0 || itemId === null || locationId === null)
    return { inventoryLevel: null, userErrors: errors };
  const existed = ctx.shop.inventoryItems.get(itemId)?.levels.has(locationId) === true;
  const available = args['available'] as number | null | undefined;
  const level = connectLevel(ctx.store, ctx.shop, itemId, locationId, available ?? 0);
  if (existed && available != null)
    setQuantity(ctx.store, ctx.shop, {
      itemId,
      locationId,
      name: 'available',
      quantity: available,
      appKey: ctx.appKey,
    });
  return { inventoryLevel: inventoryLevelView(ctx, level), userErrors: [] };
});

/** inventoryDeactivate: unstocks an item at a location; refused for its last location. */
export const inventoryDeactivate = mutation('inventoryDeactivate', 'write_inventory', (args, ctx) => {
  const parsed = parseGid(String(args['inventoryLevelId']));
  const itemId = Number(parsed?.params.get('inventory_item_id'));
  const item = parsed?.type === 'InventoryLevel' ? ctx.shop.inventoryItems.get(itemId) : undefined;
  const locationId = parsed?.id ?? -1;
  if (!item || !item.levels.has(locationId))
    return { userErrors: [userError(['inventoryLevelId'], 'Inventory level does not exist')] };
  if (item.levels.size === 1) {
    const name = ctx.shop.locations.get(locationId)?.name ?? '';
    return {
      userErrors: [
        userError(
          ['inventoryLevelId'],
          `The product couldn't be unstocked from ${name} because products need to be stocked at a minimum of 1 location.`,
        ),
      ],
    };
  }
  disconnectLevel(ctx.store, ctx.shop, item.id, locationId);
  return { userErrors: [] };
});
