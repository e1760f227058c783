import { GraphQLError } from 'graphql';
import type { InventoryLevelRecord, QuantityName } from '../../store/index.ts';
import { quantityOf } from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { versionAtLeast } from '../schema.ts';
import { numericId, userError, type Input, type UserErrorData } from './common.ts';

/** Reasons Shopify accepts for inventory changes. */
export const INVENTORY_REASONS = [
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_canceled',
  'movement_created',
  'movement_received',
  'movement_updated',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
] as const;

const MAX_QUANTITY = 1_000_000_000;

/** 2026-04+: every quantity/change must carry `changeFromQuantity` (null opts out). */
export function requireChangeFrom(ctx: ExecContext, rows: Input[], inputType: string): void {
  if (!versionAtLeast(ctx.version, '2026-04')) return;
  if (rows.every((row) => 'changeFromQuantity' in row)) return;
  throw new GraphQLError(
    `Argument 'changeFromQuantity' on InputObject '${inputType}' is required. Expected type Int`,
    {
      extensions: {
        code: 'missingRequiredInputObjectAttribute',
        argumentName: 'changeFromQuantity',
        argumentType: 'Int',
        inputObjectType: inputType,
      },
    },
  );
}

export interface ResolvedRow {
  level: InventoryLevelRecord;
  value: number;
}

/**
 * Resolves item + location of one row to its level, or a userError (unknown item,
 * unknown location, not stocked, duplicate pair, quantity out of range).
 */
export function resolveRow(
  ctx: ExecContext,
  row: Input,
  path: (string | number)[],
  value: number,
  seen: Set<string>,
): ResolvedRow | UserErrorData {
  const itemId = numericId(row['inventoryItemId'], 'InventoryItem');
  const item = itemId === null ? undefined : ctx.shop.inventoryItems.get(itemId);
  if (!item)
    return userError(
      [...path, 'inventoryItemId'],
      'The specified inventory item could not be found.',
      'INVALID_INVENTORY_ITEM',
    );
  const locationId = numericId(row['locationId'], 'Location');
  if (locationId === null || !ctx.shop.locations.has(locationId)) {
    return userError(
      [...path, 'locationId'],
      'The specified location could not be found.',
      'INVALID_LOCATION',
    );
  }
  const level = item.levels.get(locationId);
  if (!level)
    return userError(
      [...path, 'locationId'],
      'The specified inventory item is not stocked at the location.',
      'ITEM_NOT_STOCKED_AT_LOCATION',
    );
  const pair = `${item.id}:${locationId}`;
  if (seen.has(pair))
    return userError(
      path,
      'The combination of inventoryItemId and locationId must be unique.',
      'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR',
    );
  seen.add(pair);
  if (value > MAX_QUANTITY)
    return userError(path, `The quantity can't be higher than ${MAX_QUANTITY}.`, 'INVALID_QUANTITY_TOO_HIGH');
  if (value < -MAX_QUANTITY)
    return userError(path, `The quantity can't be lower than -${MAX_QUANTITY}.`, 'INVALID_QUANTITY_TOO_LOW');
  return { level, value };
}

/** Compare-and-set: `changeFromQuantity` (when non-null) must equal the current quantity. */
export function staleCheck(
  row: Input,
  level: InventoryLevelRecord,
  name: QuantityName,
  path: (string | number)[],
): UserErrorData | null {
  const expected = row['changeFromQuantity'];
  if (expected === null || expected === undefined) return null;
  if (quantityOf(level, name) === expected) return null;
  return userError(
    [...path, 'changeFromQuantity'],
    'The changeFromQuantity value does not match the persisted quantity.',
    'CHANGE_FROM_QUANTITY_STALE',
  );
}

/** 2026-01 legacy compare: `compareQuantity` unless `ignoreCompareQuantity`. */
export function legacyCompare(
  row: Input,
  level: InventoryLevelRecord,
  name: QuantityName,
  path: (string | number)[],
  ignore: boolean,
): UserErrorData | null {
  if (ignore) return null;
  const expected = row['compareQuantity'];
  if (expected === undefined || expected === null) {
    return userError(
      [...path, 'compareQuantity'],
      'The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.',
      'COMPARE_QUANTITY_REQUIRED',
    );
  }
  if (quantityOf(level, name) === expected) return null;
  return userError(
    [...path, 'compareQuantity'],
    'The compareQuantity value does not match persisted value.',
    'COMPARE_QUANTITY_STALE',
  );
}
