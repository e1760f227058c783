import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import {
  conflictsWon,
  dropConflictsOf,
  dropSettledConflicts,
  dropSettledConflictsOf,
  noteConflictsWon,
  type ConflictWon,
} from './shopify-conflicts-won.ts';

// The field conflicts Shopify won (migration 0048), kept while a late delivery may reopen them.

let t: TestDb;
let tenantId: string;
beforeAll(async () => {
  t = await openTestDb();
  tenantId = await insertTenant(t.db);
});
afterAll(async () => {
  await t.close();
});

const decided = new Date('2026-02-01T10:00:00Z');
const later = new Date('2026-02-01T11:00:00Z');
const conflict = (localId: string, field: string, won: unknown): Omit<ConflictWon, 'decidedAt'> => ({
  entity: 'customer',
  localId,
  field,
  won,
  lost: 'retailos',
  localEditAt: new Date('2026-02-01T09:59:58.500Z'),
  shopifyBound: new Date('2026-02-01T09:59:59Z'),
  baseAt: new Date('2026-02-01T09:00:00Z'),
  historyId: 7,
});
const of = (localId: string, since = new Date(0)) =>
  conflictsWon(t.db, tenantId, 'customer', [localId], since);

describe('shopify_conflicts_won', () => {
  it('notes each field with its values and times; a null value stays a value', async () => {
    const id = randomUUID();
    await noteConflictsWon(
      t.db,
      tenantId,
      [conflict(id, 'note', 'shopify'), conflict(id, 'phone', null)],
      decided,
    );
    expect(await of(id)).toEqual([
      { ...conflict(id, 'note', 'shopify'), decidedAt: decided },
      { ...conflict(id, 'phone', null), decidedAt: decided },
    ]);
    // Decided again: the later decision replaces it.
    await noteConflictsWon(t.db, tenantId, [{ ...conflict(id, 'note', 'again'), historyId: null }], later);
    expect((await of(id)).find((c) => c.field === 'note')).toEqual({
      ...conflict(id, 'note', 'again'),
      historyId: null,
      decidedAt: later,
    });
  });

  it('a decision drops the conflicts whose field holds another value now, and the expired ones', async () => {
    const id = randomUUID();
    const old = randomUUID();
    await noteConflictsWon(t.db, tenantId, [conflict(old, 'note', 'shopify')], decided);
    await noteConflictsWon(
      t.db,
      tenantId,
      [conflict(id, 'note', 'shopify'), conflict(id, 'phone', null)],
      later,
    );
    // The note still holds Shopify's value; the phone was set since.
    await dropSettledConflicts(t.db, tenantId, 'customer', id, { note: 'shopify', phone: '+1' }, new Date(0));
    expect((await of(id)).map((c) => c.field)).toEqual(['note']);
    expect((await of(old)).map((c) => c.field)).toEqual(['note']);
    // A field missing from the state is null: a null won value stays.
    await noteConflictsWon(t.db, tenantId, [conflict(id, 'phone', null)], later);
    await dropSettledConflicts(t.db, tenantId, 'customer', id, { note: 'shopify' }, new Date(0));
    expect((await of(id)).map((c) => c.field)).toEqual(['note', 'phone']);
    // Decided before the expiry: dropped, whichever record is decided.
    await dropSettledConflicts(t.db, tenantId, 'customer', id, { note: 'shopify' }, later);
    expect(await of(old)).toEqual([]);
    expect((await of(id)).length).toBe(2);
    // Read: only those decided since.
    expect(await of(id, new Date(later.getTime() + 1))).toEqual([]);
    await dropConflictsOf(t.db, tenantId, 'customer', id);
    expect(await of(id)).toEqual([]);
  });

  it('the webhook batch drops those of each record it wrote, by its own state', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await noteConflictsWon(
      t.db,
      tenantId,
      [conflict(a, 'note', 'shopify'), conflict(b, 'note', 'shopify')],
      later,
    );
    const states = [
      { localId: a, snapshot: { note: 'shopify' } },
      { localId: b, snapshot: { note: 'changed on Shopify' } },
    ];
    await dropSettledConflictsOf(t.db, tenantId, 'customer', states, new Date(0));
    expect((await of(a)).length).toBe(1);
    expect(await of(b)).toEqual([]);
  });
});
