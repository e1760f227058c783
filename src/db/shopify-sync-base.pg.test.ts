import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotHash } from '../domain/shopify-map/snapshot.ts';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { getSyncBase, getSyncBasesByGid, upsertSyncBase } from './shopify-sync-base.ts';

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
const snapshot = { title: 'Tee', variants: [{ sku: 'A', position: 1 }] };

describe('sync base links (the Shopify ids kept beside a snapshot)', () => {
  it('are stored with the snapshot and read back apart from it; the hash is the snapshot’s alone', async () => {
    const localId = randomUUID();
    const links = { variants: ['gid://shopify/ProductVariant/1'] };
    const hash = snapshotHash(snapshot);
    await upsertSyncBase(
      t.db,
      tenantId,
      'product',
      [{ localId, gid: 'gid://shopify/Product/1', hash, snapshot, remoteUpdatedAt: at, links }],
      at,
    );
    const row = await getSyncBase(t.db, tenantId, 'product', localId);
    expect(row?.snapshot).toEqual(snapshot);
    expect(row?.links).toEqual(links);
    expect(row?.hash).toBe(hash);
    const byGid = await getSyncBasesByGid(t.db, tenantId, 'product', ['gid://shopify/Product/1']);
    expect(byGid.get('gid://shopify/Product/1')?.snapshot).toEqual(snapshot);
  });

  it('a base stored without them (the old shape) reads as before, with no links', async () => {
    const localId = randomUUID();
    await upsertSyncBase(
      t.db,
      tenantId,
      'product',
      [
        {
          localId,
          gid: 'gid://shopify/Product/2',
          hash: snapshotHash(snapshot),
          snapshot,
          remoteUpdatedAt: at,
        },
      ],
      at,
    );
    const row = await getSyncBase(t.db, tenantId, 'product', localId);
    expect(row?.snapshot).toEqual(snapshot);
    expect(row?.links).toBeUndefined();
  });
});
