import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { pgErrorCode } from './db.ts';
import { gidsOf, linkIds, localIdsOf, unlinkLocal } from './shopify-id-map.ts';
import {
  addSyncBases,
  baseHashesByGid,
  deleteSyncBase,
  getSyncBase,
  getSyncBaseByGid,
  insertSyncBases,
  lockSyncBase,
  markPushed,
  markPushing,
  upsertSyncBase,
  type SyncBaseWrite,
} from './shopify-sync-base.ts';

// One Shopify row per record (migration 0045, decision 0007 item 1): the link and the sync base of a
// record are one row of shopify_links.

let t: TestDb;
let tenantId: string;
beforeAll(async () => {
  t = await openTestDb();
  tenantId = await insertTenant(t.db);
});
afterAll(async () => {
  await t.close();
});

const at = new Date('2026-02-01T00:00:00Z');
let n = 0;
const record = (): { localId: string; gid: string } => {
  n += 1;
  return { localId: randomUUID(), gid: `gid://shopify/Product/${n}` };
};
const base = (r: { localId: string; gid: string }, hash = 'h1'): SyncBaseWrite => ({
  ...r,
  hash,
  snapshot: { title: hash },
  remoteUpdatedAt: at,
});

const rowsOf = async (localId: string) =>
  (
    await t.db.query<{ gid: string; snapshot_hash: string | null; pushing_hash: string | null }>(
      'select gid, snapshot_hash, pushing_hash from shopify_links where tenant_id = $1 and local_id = $2',
      [tenantId, localId],
    )
  ).rows;

describe('shopify_links: one row per record', () => {
  it('a base written for a linked record fills its row, and a link written again keeps the base', async () => {
    const r = record();
    await linkIds(t.db, tenantId, 'product', [r], at);
    await upsertSyncBase(t.db, tenantId, 'product', [base(r)], at);
    await linkIds(t.db, tenantId, 'product', [r], at);
    expect(await rowsOf(r.localId)).toEqual([{ gid: r.gid, snapshot_hash: 'h1', pushing_hash: null }]);
    expect((await getSyncBase(t.db, tenantId, 'product', r.localId))?.snapshot).toEqual({ title: 'h1' });
  });

  it('a base written first is the link too', async () => {
    const r = record();
    await upsertSyncBase(t.db, tenantId, 'product', [base(r)], at);
    expect(await localIdsOf(t.db, tenantId, 'product', [r.gid])).toEqual(new Map([[r.gid, r.localId]]));
    await linkIds(t.db, tenantId, 'product', [r], at);
    expect(await rowsOf(r.localId)).toEqual([{ gid: r.gid, snapshot_hash: 'h1', pushing_hash: null }]);
  });

  it('deleting the base keeps the link, and a push note on a record without a base writes nothing', async () => {
    const r = record();
    await linkIds(t.db, tenantId, 'product', [r], at);
    await upsertSyncBase(t.db, tenantId, 'product', [base(r)], at);
    await markPushing(t.db, tenantId, 'product', r.localId, 'h2', { title: 'h2' });
    await deleteSyncBase(t.db, tenantId, 'product', r.localId);

    expect(await gidsOf(t.db, tenantId, 'product', [r.localId])).toEqual(new Map([[r.localId, r.gid]]));
    expect(await getSyncBase(t.db, tenantId, 'product', r.localId)).toBeUndefined();
    expect(await getSyncBaseByGid(t.db, tenantId, 'product', r.gid)).toBeUndefined();
    expect(await baseHashesByGid(t.db, tenantId, 'product', [r.gid])).toEqual(new Map());
    expect(await lockSyncBase(t.db, tenantId, 'product', r.localId)).toBeUndefined();
    // Every base column went with it, the push's note too.
    expect(await rowsOf(r.localId)).toEqual([{ gid: r.gid, snapshot_hash: null, pushing_hash: null }]);

    await markPushing(t.db, tenantId, 'product', r.localId, 'h3', { title: 'h3' });
    await markPushed(t.db, tenantId, 'product', r.localId, 'h3', at);
    expect(await rowsOf(r.localId)).toEqual([{ gid: r.gid, snapshot_hash: null, pushing_hash: null }]);

    // A new base fills the same row again.
    await upsertSyncBase(t.db, tenantId, 'product', [base(r, 'h4')], at);
    expect(await rowsOf(r.localId)).toEqual([{ gid: r.gid, snapshot_hash: 'h4', pushing_hash: null }]);
  });

  it('unlinking a record deletes its row, base and all', async () => {
    const r = record();
    await upsertSyncBase(t.db, tenantId, 'product', [base(r)], at);
    await unlinkLocal(t.db, tenantId, 'product', [r.localId]);
    expect(await rowsOf(r.localId)).toEqual([]);
  });

  it("a first base goes into the record's link row, or is refused when it has one or names another GID", async () => {
    const linked = record();
    const fresh = record();
    await linkIds(t.db, tenantId, 'product', [linked], at);
    await addSyncBases(t.db, tenantId, 'product', [base(linked), base(fresh)], at);
    expect(await rowsOf(linked.localId)).toEqual([
      { gid: linked.gid, snapshot_hash: 'h1', pushing_hash: null },
    ]);
    expect(await rowsOf(fresh.localId)).toEqual([
      { gid: fresh.gid, snapshot_hash: 'h1', pushing_hash: null },
    ]);

    await expect(
      t.db.transaction((tx) => addSyncBases(tx, tenantId, 'product', [base(linked, 'h9')], at)),
    ).rejects.toThrow(/has a base already or is linked to another GID/);
    const other = record();
    await linkIds(t.db, tenantId, 'product', [other], at);
    await expect(
      t.db.transaction((tx) =>
        addSyncBases(
          tx,
          tenantId,
          'product',
          [base({ localId: other.localId, gid: 'gid://shopify/Product/x' })],
          at,
        ),
      ),
    ).rejects.toThrow(/has a base already or is linked to another GID/);
    expect(await rowsOf(linked.localId)).toEqual([
      { gid: linked.gid, snapshot_hash: 'h1', pushing_hash: null },
    ]);
    expect(await rowsOf(other.localId)).toEqual([
      { gid: other.gid, snapshot_hash: null, pushing_hash: null },
    ]);
  });

  it('a new record’s link and base are one plain insert, which fails on a record or GID linked meanwhile', async () => {
    const r = record();
    await insertSyncBases(t.db, tenantId, 'product', [base(r)], at);
    expect(await rowsOf(r.localId)).toEqual([{ gid: r.gid, snapshot_hash: 'h1', pushing_hash: null }]);
    const again = await t.db
      .transaction((tx) => insertSyncBases(tx, tenantId, 'product', [base(r)], at))
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(pgErrorCode(again)).toBe('23505');
    const sameGid = await t.db
      .transaction((tx) =>
        insertSyncBases(tx, tenantId, 'product', [base({ ...r, localId: randomUUID() })], at),
      )
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(pgErrorCode(sameGid)).toBe('23505');
  });

  it('a link to a GID linked to another record is refused, and a linked GID keeps its record', async () => {
    const r = record();
    await linkIds(t.db, tenantId, 'product', [r], at);
    // The GID already linked: kept (nothing written).
    await linkIds(t.db, tenantId, 'product', [{ gid: r.gid, localId: randomUUID() }], at);
    expect(await localIdsOf(t.db, tenantId, 'product', [r.gid])).toEqual(new Map([[r.gid, r.localId]]));
    // The record already linked to another GID: refused.
    const err = await t.db
      .transaction((tx) =>
        linkIds(tx, tenantId, 'product', [{ gid: `${r.gid}-other`, localId: r.localId }], at),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(pgErrorCode(err)).toBe('23505');
  });

  it('a base written under another GID moves the link with it (a level rebased on a new inventory item)', async () => {
    const r = record();
    await linkIds(t.db, tenantId, 'inventory_level', [r], at);
    await upsertSyncBase(t.db, tenantId, 'inventory_level', [{ ...base(r), gid: `${r.gid}-moved` }], at);
    expect(await rowsOf(r.localId)).toEqual([
      { gid: `${r.gid}-moved`, snapshot_hash: 'h1', pushing_hash: null },
    ]);
  });
});
