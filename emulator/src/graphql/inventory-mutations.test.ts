import { describe, expect, it } from 'vitest';
import { gid, getLevel, onHand, subscribe, type ChangeEvent } from '../store/index.ts';
import { addTee, dataOf, fixture, type Fixture } from './test-support.ts';

function stocked(available = 10) {
  const f = fixture();
  const tee = addTee(f, 'Tee', available);
  const variant = f.shop.variants.get(tee.variantIds[0] as number)!;
  const itemId = variant.inventoryItemId;
  return {
    f,
    itemId,
    item: gid('InventoryItem', itemId),
    location: gid('Location', f.locationId),
    level: () => getLevel(f.shop, itemId, f.locationId),
  };
}

const SET = (key: string | null) => `mutation($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input)${key === null ? '' : ` @idempotent(key: "${key}")`} {
    inventoryAdjustmentGroup { id reason referenceDocumentUri changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}`;

const ADJUST = (key: string | null) => `mutation($input: InventoryAdjustQuantitiesInput!) {
  inventoryAdjustQuantities(input: $input)${key === null ? '' : ` @idempotent(key: "${key}")`} {
    inventoryAdjustmentGroup { id changes { name delta quantityAfterChange ledgerDocumentUri } }
    userErrors { field message code }
  }
}`;

function setInput(
  s: { item: string; location: string },
  quantity: number,
  changeFromQuantity: number | null,
  extra: Record<string, unknown> = {},
) {
  return {
    input: {
      name: 'available',
      reason: 'correction',
      referenceDocumentUri: 'gid://retailos/Sync/1',
      quantities: [
        { inventoryItemId: s.item, locationId: s.location, quantity, changeFromQuantity, ...extra },
      ],
    },
  };
}

async function run(f: Fixture, query: string, vars: Record<string, unknown>, version = '2026-04') {
  return f.run(query, vars, { version });
}

describe('inventorySetQuantities', () => {
  it('sets available with a matching changeFromQuantity and reports the changes', async () => {
    const s = stocked(10);
    const events: ChangeEvent[] = [];
    subscribe(s.f.store, (e) => events.push(e));
    const data = dataOf(await run(s.f, SET('k1'), setInput(s, 12, 10)));
    const result = data['inventorySetQuantities'];
    expect(result.userErrors).toEqual([]);
    expect(result.inventoryAdjustmentGroup).toMatchObject({
      reason: 'correction',
      referenceDocumentUri: 'gid://retailos/Sync/1',
      changes: [
        { name: 'available', delta: 2, quantityAfterChange: 12 },
        { name: 'on_hand', delta: 2, quantityAfterChange: 12 },
      ],
    });
    expect(s.level().quantities.available).toBe(12);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'inventory_level',
        action: 'update',
        appKey: 'app-1',
        inventoryItemId: s.itemId,
      }),
    ]);
  });

  it('refuses a stale changeFromQuantity and changes nothing', async () => {
    const s = stocked(10);
    const data = dataOf(await run(s.f, SET('k1'), setInput(s, 12, 9)));
    expect(data['inventorySetQuantities']).toEqual({
      inventoryAdjustmentGroup: null,
      userErrors: [
        {
          field: ['input', 'quantities', '0', 'changeFromQuantity'],
          message: expect.any(String),
          code: 'CHANGE_FROM_QUANTITY_STALE',
        },
      ],
    });
    expect(s.level().quantities.available).toBe(10);
  });

  it('skips the check when changeFromQuantity is explicitly null', async () => {
    const s = stocked(10);
    const data = dataOf(await run(s.f, SET('k1'), setInput(s, 3, null)));
    expect(data['inventorySetQuantities'].userErrors).toEqual([]);
    expect(s.level().quantities.available).toBe(3);
  });

  it('sets on_hand by moving available', async () => {
    const s = stocked(10);
    s.level().quantities.committed = 2;
    const vars = setInput(s, 20, 12);
    vars.input.name = 'on_hand';
    dataOf(await run(s.f, SET('k1'), vars));
    expect(s.level().quantities.available).toBe(18);
    expect(onHand(s.level())).toBe(20);
  });

  it.each([
    [{ name: 'committed' }, ['input', 'name'], 'INVALID_NAME'],
    [{ reason: 'because' }, ['input', 'reason'], 'INVALID_REASON'],
    [
      {
        quantities: [
          {
            inventoryItemId: 'gid://shopify/InventoryItem/1',
            locationId: 'X',
            quantity: 1,
            changeFromQuantity: null,
          },
        ],
      },
      ['input', 'quantities', '0', 'inventoryItemId'],
      'INVALID_INVENTORY_ITEM',
    ],
  ])('answers userErrors for bad input %j', async (override, field, code) => {
    const s = stocked(10);
    const vars = setInput(s, 1, null);
    Object.assign(vars.input, override);
    const data = dataOf(await run(s.f, SET('k1'), vars));
    expect(data['inventorySetQuantities'].userErrors[0]).toMatchObject({ field, code });
  });

  it('from 2026-04 requires changeFromQuantity and the idempotency key', async () => {
    const s = stocked(10);
    const vars = {
      input: {
        name: 'available',
        reason: 'correction',
        quantities: [{ inventoryItemId: s.item, locationId: s.location, quantity: 1 }],
      },
    };
    const missingCas = await run(s.f, SET('k1'), vars);
    expect(missingCas.errors?.[0]).toMatchObject({
      extensions: { code: 'missingRequiredInputObjectAttribute', argumentName: 'changeFromQuantity' },
    });
    const missingKey = await run(s.f, SET(null), setInput(s, 1, 10));
    expect(missingKey.errors?.[0]?.message).toMatch(/idempotency key is required/);
    expect(s.level().quantities.available).toBe(10);
  });

  it('in 2026-01 accepts neither, falling back to compareQuantity', async () => {
    const s = stocked(10);
    const legacy = {
      input: {
        name: 'available',
        reason: 'correction',
        quantities: [{ inventoryItemId: s.item, locationId: s.location, quantity: 4 }],
      },
    };
    const required = dataOf(await run(s.f, SET(null), legacy, '2026-01'));
    expect(required['inventorySetQuantities'].userErrors[0].code).toBe('COMPARE_QUANTITY_REQUIRED');
    const stale = dataOf(
      await run(
        s.f,
        SET(null),
        { input: { ...legacy.input, quantities: [{ ...legacy.input.quantities[0], compareQuantity: 3 }] } },
        '2026-01',
      ),
    );
    expect(stale['inventorySetQuantities'].userErrors[0].code).toBe('COMPARE_QUANTITY_STALE');
    const ignored = dataOf(
      await run(s.f, SET(null), { input: { ...legacy.input, ignoreCompareQuantity: true } }, '2026-01'),
    );
    expect(ignored['inventorySetQuantities'].userErrors).toEqual([]);
    expect(s.level().quantities.available).toBe(4);
    const cas = dataOf(await run(s.f, SET(null), setInput(s, 6, 5), '2026-01'));
    expect(cas['inventorySetQuantities'].userErrors[0].code).toBe('CHANGE_FROM_QUANTITY_STALE');
  });
});

describe('idempotency', () => {
  it('replays the recorded result for the same key and input without applying twice', async () => {
    const s = stocked(10);
    const vars = {
      input: {
        name: 'available',
        reason: 'received',
        changes: [{ inventoryItemId: s.item, locationId: s.location, delta: 5, changeFromQuantity: 10 }],
      },
    };
    const first = dataOf(await run(s.f, ADJUST('same'), vars));
    const again = dataOf(await run(s.f, ADJUST('same'), vars));
    expect(again).toEqual(first);
    expect(s.level().quantities.available).toBe(15);
  });

  it('refuses the same key with different input', async () => {
    const s = stocked(10);
    const vars = (delta: number) => ({
      input: {
        name: 'available',
        reason: 'received',
        changes: [{ inventoryItemId: s.item, locationId: s.location, delta, changeFromQuantity: null }],
      },
    });
    dataOf(await run(s.f, ADJUST('same'), vars(5)));
    const other = dataOf(await run(s.f, ADJUST('same'), vars(6)));
    expect(other['inventoryAdjustQuantities']).toEqual({
      inventoryAdjustmentGroup: null,
      userErrors: [{ field: null, message: expect.any(String), code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' }],
    });
    expect(s.level().quantities.available).toBe(15);
  });

  it('keeps keys per app', async () => {
    const s = stocked(10);
    const vars = {
      input: {
        name: 'available',
        reason: 'received',
        changes: [{ inventoryItemId: s.item, locationId: s.location, delta: 1, changeFromQuantity: null }],
      },
    };
    await s.f.run(ADJUST('k'), vars, { appKey: 'a' });
    await s.f.run(ADJUST('k'), vars, { appKey: 'b' });
    expect(s.level().quantities.available).toBe(12);
  });
});

describe('inventoryAdjustQuantities', () => {
  it('adjusts non-available quantities with a ledger document and reports on_hand', async () => {
    const s = stocked(10);
    const vars = {
      input: {
        name: 'damaged',
        reason: 'damaged',
        changes: [
          {
            inventoryItemId: s.item,
            locationId: s.location,
            delta: 2,
            changeFromQuantity: 0,
            ledgerDocumentUri: 'retailos://damage/1',
          },
        ],
      },
    };
    const data = dataOf(await run(s.f, ADJUST('k'), vars));
    expect(data['inventoryAdjustQuantities'].inventoryAdjustmentGroup.changes).toEqual([
      { name: 'damaged', delta: 2, quantityAfterChange: 2, ledgerDocumentUri: 'retailos://damage/1' },
      { name: 'on_hand', delta: 2, quantityAfterChange: 12, ledgerDocumentUri: 'retailos://damage/1' },
    ]);
  });

  it.each([
    ['available', 'retailos://x', 'INVALID_AVAILABLE_DOCUMENT'],
    ['damaged', null, 'INVALID_QUANTITY_DOCUMENT'],
    ['damaged', 'gid://shopify/Order/1', 'INTERNAL_LEDGER_DOCUMENT'],
    ['committed', null, 'INVALID_QUANTITY_NAME'],
  ])('%s with ledger %s → %s', async (name, ledgerDocumentUri, code) => {
    const s = stocked(10);
    const vars = {
      input: {
        name,
        reason: 'correction',
        changes: [
          {
            inventoryItemId: s.item,
            locationId: s.location,
            delta: 1,
            changeFromQuantity: null,
            ledgerDocumentUri,
          },
        ],
      },
    };
    const data = dataOf(await run(s.f, ADJUST('k'), vars));
    expect(data['inventoryAdjustQuantities'].userErrors[0].code).toBe(code);
    expect(s.level().quantities.available).toBe(10);
  });

  it('refuses a stale changeFromQuantity', async () => {
    const s = stocked(10);
    const vars = {
      input: {
        name: 'available',
        reason: 'correction',
        changes: [{ inventoryItemId: s.item, locationId: s.location, delta: -1, changeFromQuantity: 11 }],
      },
    };
    const data = dataOf(await run(s.f, ADJUST('k'), vars));
    expect(data['inventoryAdjustQuantities'].userErrors[0]).toMatchObject({
      code: 'CHANGE_FROM_QUANTITY_STALE',
      field: ['input', 'changes', '0', 'changeFromQuantity'],
    });
  });
});
