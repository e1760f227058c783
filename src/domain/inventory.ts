/**
 * Inventory arithmetic. Setting `available` moves `on_hand` by the same delta (the rest of on hand —
 * committed, reserved… — is untouched), as Shopify does. Stock never goes below zero through the core.
 */
export type InventoryChange = { kind: 'set'; available: number } | { kind: 'adjust'; delta: number };

export type InventoryDecision =
  | { ok: true; available: number; onHand: number; delta: number }
  | { ok: false; reason: 'negative_stock'; available: number };

export function decideInventory(
  current: { available: number; onHand: number },
  change: InventoryChange,
): InventoryDecision {
  const target = change.kind === 'set' ? change.available : current.available + change.delta;
  if (!Number.isInteger(target) || target < 0)
    return { ok: false, reason: 'negative_stock', available: target };
  const delta = target - current.available;
  return { ok: true, available: target, onHand: Math.max(0, current.onHand + delta), delta };
}
