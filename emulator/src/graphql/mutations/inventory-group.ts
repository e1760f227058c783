import { gid, idOf, type QuantityName } from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { iso, type View } from '../views/common.ts';
import { inventoryItemView, locationView } from '../views/product.ts';

export interface ChangeData {
  itemId: number;
  locationId: number;
  name: QuantityName;
  delta: number;
  quantityAfterChange: number;
  ledgerDocumentUri: string | null;
}

/** What an inventory mutation did; recorded for idempotent replays. */
export interface GroupData {
  id: number;
  createdAt: number;
  reason: string;
  referenceDocumentUri: string | null;
  changes: ChangeData[];
}

type ChangeFilter = {
  inventoryItemIds?: string[] | null;
  locationIds?: string[] | null;
  quantityNames?: string[] | null;
};

export function adjustmentGroupView(ctx: ExecContext, group: GroupData): View {
  return {
    id: gid('InventoryAdjustmentGroup', group.id),
    createdAt: iso(group.createdAt),
    reason: group.reason,
    referenceDocumentUri: group.referenceDocumentUri,
    staffMember: null,
    changes: (args: ChangeFilter) => {
      const items = args.inventoryItemIds?.map((id) => idOf(id, 'InventoryItem'));
      const locations = args.locationIds?.map((id) => idOf(id, 'Location'));
      return group.changes
        .filter(
          (c) =>
            (!items || items.includes(c.itemId)) &&
            (!locations || locations.includes(c.locationId)) &&
            (!args.quantityNames || args.quantityNames.includes(c.name)),
        )
        .map((c) => ({
          name: c.name,
          delta: c.delta,
          quantityAfterChange: c.quantityAfterChange,
          ledgerDocumentUri: c.ledgerDocumentUri,
          item: () => {
            const item = ctx.shop.inventoryItems.get(c.itemId);
            return item ? inventoryItemView(ctx, item) : null;
          },
          location: () => {
            const location = ctx.shop.locations.get(c.locationId);
            return location ? locationView(ctx, location) : null;
          },
        }));
    },
  };
}
