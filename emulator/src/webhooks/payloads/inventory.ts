import {
  gid,
  restId,
  inventoryLevelGid,
  type InventoryItemRecord,
  type InventoryLevelRecord,
} from '../../store/index.ts';
import { restTime } from './rest.ts';

export function inventoryLevelPayload(level: InventoryLevelRecord): Record<string, unknown> {
  return {
    admin_graphql_api_id: inventoryLevelGid(level.locationId, level.itemId),
    available: level.quantities.available,
    inventory_item_id: restId(level.itemId),
    location_id: restId(level.locationId),
    updated_at: restTime(level.updatedAt),
  };
}

export function inventoryDisconnectPayload(itemId: number, locationId: number): Record<string, unknown> {
  return { inventory_item_id: restId(itemId), location_id: restId(locationId) };
}

export function inventoryItemPayload(item: InventoryItemRecord): Record<string, unknown> {
  return {
    admin_graphql_api_id: gid('InventoryItem', item.id),
    cost: item.unitCost,
    country_code_of_origin: null,
    country_harmonized_system_codes: [],
    created_at: restTime(item.createdAt),
    harmonized_system_code: null,
    id: restId(item.id),
    province_code_of_origin: null,
    requires_shipping: true,
    sku: item.sku,
    tracked: item.tracked,
    updated_at: restTime(item.updatedAt),
    weight_unit: 'kg',
    weight_value: 0,
  };
}

export function inventoryItemDeletePayload(itemId: number): Record<string, unknown> {
  return {
    admin_graphql_api_id: gid('InventoryItem', itemId),
    country_code_of_origin: null,
    country_harmonized_system_codes: [],
    harmonized_system_code: null,
    id: restId(itemId),
    province_code_of_origin: null,
  };
}
