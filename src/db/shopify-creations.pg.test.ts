import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import {
  baseFromCreationNote,
  dropCreationNote,
  getCreationNote,
  noteCreation,
} from './shopify-creations.ts';
import { linkIds } from './shopify-id-map.ts';
import { getSyncBase, upsertSyncBase } from './shopify-sync-base.ts';

// The creation notes (migration 0046): what a creation sent, the base of the record it made when it is
// linked without the creation's answer.

let t: TestDb;
let tenantId: string;
beforeAll(async () => {
  t = await openTestDb();
  tenantId = await insertTenant(t.db);
});
afterAll(async () => {
  await t.close();
});

const sentAt = new Date('2026-02-01T00:00:00Z');
const createdAt = new Date('2026-02-01T00:00:01Z');
const now = new Date('2026-02-01T00:05:00Z');
let n = 0;
const record = (): { localId: string; gid: string } => {
  n += 1;
  return { localId: randomUUID(), gid: `gid://shopify/Customer/${n}` };
};
const note = (hash: string) => ({ hash, snapshot: { lastName: hash }, sentAt });

describe('shopify_creations', () => {
  it("an attempt that sends replaces the note of the one before; linked, the note is the record's base", async () => {
    const r = record();
    await noteCreation(t.db, tenantId, 'customer', r.localId, note('first'));
    await noteCreation(t.db, tenantId, 'customer', r.localId, note('second'));
    expect(await getCreationNote(t.db, tenantId, 'customer', r.localId)).toEqual(note('second'));
    await linkIds(t.db, tenantId, 'customer', [r], now);
    expect(await baseFromCreationNote(t.db, tenantId, 'customer', r.localId, createdAt, now)).toBe(true);
    const base = await getSyncBase(t.db, tenantId, 'customer', r.localId);
    expect(base && [base.gid, base.hash, base.snapshot, base.remoteUpdatedAt, base.syncedAt]).toEqual([
      r.gid,
      'second',
      { lastName: 'second' },
      createdAt,
      now,
    ]);
    expect(await getCreationNote(t.db, tenantId, 'customer', r.localId)).toBeUndefined();
  });

  it('without a note the link stays without a base; a base already there is kept and the note dropped', async () => {
    const bare = record();
    await linkIds(t.db, tenantId, 'customer', [bare], now);
    expect(await baseFromCreationNote(t.db, tenantId, 'customer', bare.localId, createdAt, now)).toBe(false);
    expect(await getSyncBase(t.db, tenantId, 'customer', bare.localId)).toBeUndefined();

    const based = record();
    const write = { ...based, hash: 'synced', snapshot: { lastName: 'synced' }, remoteUpdatedAt: now };
    await upsertSyncBase(t.db, tenantId, 'customer', [write], now);
    await noteCreation(t.db, tenantId, 'customer', based.localId, note('stale'));
    expect(await baseFromCreationNote(t.db, tenantId, 'customer', based.localId, null, now)).toBe(false);
    expect((await getSyncBase(t.db, tenantId, 'customer', based.localId))?.hash).toBe('synced');
    expect(await getCreationNote(t.db, tenantId, 'customer', based.localId)).toBeUndefined();
  });

  it('a note is dropped by record, leaving the others', async () => {
    const [a, b] = [record(), record()];
    await noteCreation(t.db, tenantId, 'customer', a.localId, note('a'));
    await noteCreation(t.db, tenantId, 'customer', b.localId, note('b'));
    await dropCreationNote(t.db, tenantId, 'customer', a.localId);
    expect(await getCreationNote(t.db, tenantId, 'customer', a.localId)).toBeUndefined();
    expect(await getCreationNote(t.db, tenantId, 'customer', b.localId)).toEqual(note('b'));
  });
});
