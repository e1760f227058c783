// Migration 0028: Sync History's stock entries take the level's one snapshot shape (the sync base's,
// {available, onHand}); entries written before as {available, on_hand} are renamed, the oldest ones
// ({available} alone) and other entities' entries are left as they are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../test-support/core-fixture.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { insertHistory, type HistoryEntry } from './shopify-sync-history.ts';

const t = useTestDb();
const MIGRATION = readFileSync(
  join(import.meta.dirname, '../../migrations/0028_inventory_history_snapshot.sql'),
  'utf8',
);

const entry = (
  entity: HistoryEntry['entity'],
  before: unknown,
  after: unknown,
  diff: unknown,
): HistoryEntry => ({
  entity,
  localId: null,
  gid: null,
  displayName: 'SKU-1 @ Shop',
  direction: 'inbound',
  origin: 'webhook',
  action: 'update',
  outcome: 'applied',
  before,
  after,
  diff,
  conflicts: [],
  error: null,
  searchWords: [],
});

describe('migration 0028 (stock entries in the snapshot shape)', () => {
  it('renames on_hand to onHand in before, after and the diff, and leaves everything else', async () => {
    const tenantId = await insertTenant(t.db);
    const written = [
      entry('inventory_level', { available: 5, on_hand: 9 }, { available: 5, on_hand: 7 }, [
        { path: 'on_hand', before: 9, after: 7 },
      ]),
      entry('inventory_level', { available: 5, on_hand: 9 }, { available: 3, on_hand: 7 }, [
        { path: 'available', before: 5, after: 3 },
        { path: 'on_hand', before: 9, after: 7 },
      ]),
      entry('inventory_level', { available: 4 }, { available: 2 }, [
        { path: 'available', before: 4, after: 2 },
      ]),
      entry('product', { title: 'A', on_hand: 1 }, { title: 'B', on_hand: 1 }, [
        { path: 'title', before: 'A', after: 'B' },
      ]),
    ];
    const ids = await insertHistory(t.db, tenantId, written, new Date('2026-03-01T10:00:00Z'));
    await t.db.exec(MIGRATION);
    const { rows } = await t.db.query<{
      id: string | number;
      before: unknown;
      after: unknown;
      diff: unknown;
    }>('select id, before, after, diff from shopify_sync_history where tenant_id = $1 order by id', [
      tenantId,
    ]);
    expect(rows.map((r) => Number(r.id))).toEqual(ids);
    expect(rows.map(({ before, after, diff }) => ({ before, after, diff }))).toEqual([
      {
        before: { available: 5, onHand: 9 },
        after: { available: 5, onHand: 7 },
        diff: [{ path: 'onHand', before: 9, after: 7 }],
      },
      {
        before: { available: 5, onHand: 9 },
        after: { available: 3, onHand: 7 },
        diff: [
          { path: 'available', before: 5, after: 3 },
          { path: 'onHand', before: 9, after: 7 },
        ],
      },
      {
        before: { available: 4 },
        after: { available: 2 },
        diff: [{ path: 'available', before: 4, after: 2 }],
      },
      {
        before: { title: 'A', on_hand: 1 },
        after: { title: 'B', on_hand: 1 },
        diff: [{ path: 'title', before: 'A', after: 'B' }],
      },
    ]);
  });
});
