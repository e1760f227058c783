import type { FastifyInstance } from 'fastify';
import {
  adjustQuantity,
  QUANTITY_NAMES,
  setQuantity,
  type QuantityName,
  type ShopData,
} from '../../store/index.ts';
import type { Emulator } from '../emulator.ts';
import { variantView } from '../views.ts';
import { ControlError, requireNumber } from './errors.ts';
import { shopAction } from './helpers.ts';

interface Target {
  itemId: number;
  locationId: number;
  name: QuantityName;
  variantId: number;
}

/** Finds the level from `variantId` | `inventoryItemId` | `sku`, plus `locationId` (default: first location). */
function targetOf(shop: ShopData, body: Record<string, unknown>): Target {
  let variant =
    body['variantId'] !== undefined
      ? shop.variants.get(requireNumber(body['variantId'], 'variantId'))
      : undefined;
  if (!variant && body['inventoryItemId'] !== undefined) {
    const item = shop.inventoryItems.get(requireNumber(body['inventoryItemId'], 'inventoryItemId'));
    variant = item ? shop.variants.get(item.variantId) : undefined;
  }
  if (!variant && typeof body['sku'] === 'string')
    variant = [...shop.variants.values()].find((v) => v.sku === body['sku']);
  if (!variant) throw new ControlError(404, 'not_found', 'no variant for variantId / inventoryItemId / sku');
  const locationId =
    body['locationId'] === undefined
      ? [...shop.locations.keys()][0]
      : requireNumber(body['locationId'], 'locationId');
  if (locationId === undefined) throw new ControlError(422, 'invalid_request', 'the shop has no location');
  const name = (body['name'] ?? 'available') as QuantityName;
  if (!QUANTITY_NAMES.includes(name))
    throw new ControlError(422, 'invalid_request', `name must be one of ${QUANTITY_NAMES.join(', ')}`);
  return { itemId: variant.inventoryItemId, locationId, name, variantId: variant.id };
}

/** Stock changes by the merchant: adjust by a delta, or set a quantity. */
export function registerMerchantInventory(app: FastifyInstance, emu: Emulator): void {
  const base = '/_emulator/shops/:shop/inventory';
  app.post(
    `${base}/adjust`,
    shopAction(emu, ({ shop, body }) => {
      const t = targetOf(shop, body);
      adjustQuantity(emu.store, shop, {
        itemId: t.itemId,
        locationId: t.locationId,
        name: t.name,
        delta: requireNumber(body['delta'], 'delta'),
      });
      return variantView(shop, t.variantId);
    }),
  );
  app.post(
    `${base}/set`,
    shopAction(emu, ({ shop, body }) => {
      const t = targetOf(shop, body);
      setQuantity(emu.store, shop, {
        itemId: t.itemId,
        locationId: t.locationId,
        name: t.name,
        quantity: requireNumber(body['quantity'], 'quantity'),
      });
      return variantView(shop, t.variantId);
    }),
  );
}
