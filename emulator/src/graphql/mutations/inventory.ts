import type { GraphQLResolveInfo } from 'graphql';
import {
  adjustQuantity,
  nextId,
  nowSeconds,
  quantityOf,
  setQuantity,
  type InventoryLevelRecord,
  type QuantityName,
} from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { versionAtLeast } from '../schema.ts';
import { type Input, mutation, userError, type UserErrorData } from './common.ts';
import { checkIdempotency } from './idempotency.ts';
import { adjustmentGroupView, type ChangeData, type GroupData } from './inventory-group.ts';
import {
  INVENTORY_REASONS,
  legacyCompare,
  requireChangeFrom,
  resolveRow,
  staleCheck,
} from './inventory-checks.ts';

interface Outcome {
  group: GroupData | null;
  userErrors: UserErrorData[];
}

const AFFECTS_ON_HAND: readonly string[] = [
  'available',
  'damaged',
  'quality_control',
  'reserved',
  'safety_stock',
];
const ADJUSTABLE: readonly string[] = [...AFFECTS_ON_HAND, 'incoming'];

function present(ctx: ExecContext, outcome: Outcome) {
  return {
    inventoryAdjustmentGroup: outcome.group ? adjustmentGroupView(ctx, outcome.group) : null,
    userErrors: outcome.userErrors,
  };
}

function checkReason(input: Input): UserErrorData | null {
  return (INVENTORY_REASONS as readonly string[]).includes(String(input['reason']))
    ? null
    : userError(['input', 'reason'], 'The specified reason is invalid.', 'INVALID_REASON');
}

function change(
  level: InventoryLevelRecord,
  name: QuantityName,
  delta: number,
  ledgerDocumentUri: string | null,
): ChangeData {
  return {
    itemId: level.itemId,
    locationId: level.locationId,
    name,
    delta,
    quantityAfterChange: quantityOf(level, name),
    ledgerDocumentUri,
  };
}

function newGroup(ctx: ExecContext, input: Input, changes: ChangeData[]): GroupData {
  return {
    id: nextId(ctx.shop, 'InventoryAdjustmentGroup'),
    createdAt: nowSeconds(ctx.clock),
    reason: String(input['reason']),
    referenceDocumentUri: (input['referenceDocumentUri'] as string | null | undefined) ?? null,
    changes,
  };
}

/** Runs an inventory mutation under the idempotency rules and records its outcome. */
function idempotent(ctx: ExecContext, info: GraphQLResolveInfo, args: Input, run: () => Outcome) {
  const check = checkIdempotency<Outcome>(ctx, info, args);
  if ('replay' in check) return present(ctx, check.replay);
  if ('mismatch' in check) return present(ctx, { group: null, userErrors: [check.mismatch] });
  const outcome = run();
  check.fresh(outcome);
  return present(ctx, outcome);
}

function runSet(ctx: ExecContext, input: Input): Outcome {
  const name = String(input['name']);
  if (name !== 'available' && name !== 'on_hand') {
    return {
      group: null,
      userErrors: [
        userError(
          ['input', 'name'],
          "The quantity name must be either 'available' or 'on_hand'.",
          'INVALID_NAME',
        ),
      ],
    };
  }
  const reasonError = checkReason(input);
  if (reasonError) return { group: null, userErrors: [reasonError] };
  const rows = input['quantities'] as Input[];
  const legacy = !versionAtLeast(ctx.version, '2026-04') && rows.every((r) => !('changeFromQuantity' in r));
  const seen = new Set<string>();
  const resolved: InventoryLevelRecord[] = [];
  const errors: UserErrorData[] = [];
  for (const [i, row] of rows.entries()) {
    const path = ['input', 'quantities', i];
    const r = resolveRow(ctx, row, path, row['quantity'] as number, seen);
    if (!('level' in r)) {
      errors.push(r);
      continue;
    }
    const stale = legacy
      ? legacyCompare(row, r.level, name, path, input['ignoreCompareQuantity'] === true)
      : staleCheck(row, r.level, name, path);
    if (stale) errors.push(stale);
    resolved.push(r.level);
  }
  if (errors.length > 0) return { group: null, userErrors: errors };
  const changes = rows.flatMap((row, i) => {
    const level = resolved[i] as InventoryLevelRecord;
    const delta = setQuantity(ctx.store, ctx.shop, {
      itemId: level.itemId,
      locationId: level.locationId,
      name,
      quantity: row['quantity'] as number,
      appKey: ctx.appKey,
    });
    const other: QuantityName = name === 'available' ? 'on_hand' : 'available';
    return [change(level, name, delta, null), change(level, other, delta, null)];
  });
  return { group: newGroup(ctx, input, changes), userErrors: [] };
}

export const inventorySetQuantities = mutation(
  'inventorySetQuantities',
  'write_inventory',
  (args, ctx, info) => {
    const input = args['input'] as Input;
    requireChangeFrom(ctx, input['quantities'] as Input[], 'InventoryQuantityInput');
    return idempotent(ctx, info, args, () => runSet(ctx, input));
  },
);

function ledgerError(name: string, uri: unknown, path: (string | number)[]): UserErrorData | null {
  if (name === 'available') {
    return uri == null
      ? null
      : userError(
          [...path, 'ledgerDocumentUri'],
          'A ledger document URI is not allowed when adjusting available.',
          'INVALID_AVAILABLE_DOCUMENT',
        );
  }
  if (uri == null)
    return userError(
      [...path, 'ledgerDocumentUri'],
      'A ledger document URI is required except when adjusting available.',
      'INVALID_QUANTITY_DOCUMENT',
    );
  if (String(uri).startsWith('gid://shopify/')) {
    return userError(
      [...path, 'ledgerDocumentUri'],
      'Internal (gid://shopify/) ledger documents are not allowed to be adjusted via API.',
      'INTERNAL_LEDGER_DOCUMENT',
    );
  }
  return null;
}

function runAdjust(ctx: ExecContext, input: Input): Outcome {
  const name = String(input['name']);
  if (!ADJUSTABLE.includes(name)) {
    return {
      group: null,
      userErrors: [
        userError(['input', 'name'], 'The specified quantity name is invalid.', 'INVALID_QUANTITY_NAME'),
      ],
    };
  }
  const reasonError = checkReason(input);
  if (reasonError) return { group: null, userErrors: [reasonError] };
  const rows = input['changes'] as Input[];
  const seen = new Set<string>();
  const resolved: InventoryLevelRecord[] = [];
  const errors: UserErrorData[] = [];
  for (const [i, row] of rows.entries()) {
    const path = ['input', 'changes', i];
    const r = resolveRow(ctx, row, path, row['delta'] as number, seen);
    if (!('level' in r)) {
      errors.push(r);
      continue;
    }
    const problem =
      ledgerError(name, row['ledgerDocumentUri'], path) ??
      staleCheck(row, r.level, name as QuantityName, path);
    if (problem) errors.push(problem);
    resolved.push(r.level);
  }
  if (errors.length > 0) return { group: null, userErrors: errors };
  const changes = rows.flatMap((row, i) => {
    const level = resolved[i] as InventoryLevelRecord;
    const delta = row['delta'] as number;
    const ledger = (row['ledgerDocumentUri'] as string | null | undefined) ?? null;
    adjustQuantity(ctx.store, ctx.shop, {
      itemId: level.itemId,
      locationId: level.locationId,
      name: name as QuantityName,
      delta,
      appKey: ctx.appKey,
    });
    const out = [change(level, name as QuantityName, delta, ledger)];
    if (AFFECTS_ON_HAND.includes(name)) out.push(change(level, 'on_hand', delta, ledger));
    return out;
  });
  return { group: newGroup(ctx, input, changes), userErrors: [] };
}

export const inventoryAdjustQuantities = mutation(
  'inventoryAdjustQuantities',
  'write_inventory',
  (args, ctx, info) => {
    const input = args['input'] as Input;
    requireChangeFrom(ctx, input['changes'] as Input[], 'InventoryChangeInput');
    return idempotent(ctx, info, args, () => runAdjust(ctx, input));
  },
);
