import { z } from 'zod';
import type { InventoryLevelView } from '../../db/inventory.ts';
import type { InventoryLevel } from '../../domain/entities.ts';
import { limit, shortText, uuid } from './common.ts';

const MAX_INT4 = 2_147_483_647;
const reason = z.string().trim().min(1).max(255);

/** `available` may be given negative: the core refuses it as 422 negative_stock, like an adjust below zero. */
export const inventorySetBody = z.strictObject({
  variant_id: uuid,
  location_id: uuid,
  available: z.number().int().min(-MAX_INT4).max(MAX_INT4),
  reason,
});

export const inventoryAdjustBody = z.strictObject({
  variant_id: uuid,
  location_id: uuid,
  delta: z.number().int().min(-MAX_INT4).max(MAX_INT4),
  reason,
});

export const inventoryListQuery = z.strictObject({
  limit,
  cursor: z.string().max(200).optional(),
  variant_id: uuid.optional(),
  location_id: uuid.optional(),
  sku: shortText.optional(),
});

export const inventoryLevelJson = z.object({
  id: z.string(),
  variant_id: z.string(),
  location_id: z.string(),
  available: z.number(),
  on_hand: z.number(),
  updated_at: z.string(),
  version: z.number(),
});

export const inventoryListItemJson = inventoryLevelJson.extend({ sku: z.string().nullable() });

export function inventoryLevelToJson(l: InventoryLevel): z.infer<typeof inventoryLevelJson> {
  return {
    id: l.id,
    variant_id: l.variantId,
    location_id: l.locationId,
    available: l.available,
    on_hand: l.onHand,
    updated_at: l.updatedAt.toISOString(),
    version: l.version,
  };
}

export function inventoryListItemToJson(l: InventoryLevelView): z.infer<typeof inventoryListItemJson> {
  return { ...inventoryLevelToJson(l), sku: l.sku };
}
