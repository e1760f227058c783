import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { listChangesAfter, recordChanges } from '../db/changes.ts';
import { useTestDb } from '../../test-support/core-fixture.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { createProduct, deleteProduct, searchProducts, updateProduct } from './products.ts';
import type { WriteContext } from './write-context.ts';

const t = useTestDb();
const clock = new ManualClock();

type Op =
  | { kind: 'create'; sku: number }
  | { kind: 'update'; target: number; sku: number }
  | { kind: 'delete'; target: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), sku: fc.nat(5) }),
  fc.record({ kind: fc.constant('update' as const), target: fc.nat(10), sku: fc.nat(5) }),
  fc.record({ kind: fc.constant('delete' as const), target: fc.nat(10) }),
);

describe('change capture', () => {
  it('a write that rolls back leaves no change row; a committed one always leaves exactly one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        // Each committed write is heard of once, after its commit: the listener already reads its row.
        const heard: number[] = [];
        const ctx: WriteContext = {
          tenantId: await insertTenant(t.db),
          origin: 'user',
          clock,
          changesRecorded: async (tenantId, origin) => {
            expect([tenantId, origin]).toEqual([ctx.tenantId, 'user']);
            heard.push((await listChangesAfter(t.db, tenantId, 0, 1000)).length);
          },
        };
        const ids: string[] = [];
        let committed = 0;
        for (const o of ops) {
          const id = ids[o.kind === 'create' ? 0 : o.target % Math.max(1, ids.length)];
          const attempt =
            o.kind === 'create'
              ? createProduct(t.db, ctx, { title: 'P', variants: [{ sku: `S${o.sku}`, price: '1' }] }).then(
                  (p) => ids.push(p.id),
                )
              : o.kind === 'update' && id
                ? updateProduct(t.db, ctx, id, { variants: [{ sku: `S${o.sku}`, price: '2' }] })
                : id
                  ? deleteProduct(t.db, ctx, id)
                  : Promise.reject(new Error('nothing to act on'));
          // duplicate SKUs, deleted targets and missing targets are refused; only successes count
          committed += await attempt.then(
            () => 1,
            () => 0,
          );
        }
        const changes = await listChangesAfter(t.db, ctx.tenantId, 0, 1000);
        expect(changes).toHaveLength(committed);
        expect(heard).toEqual(Array.from({ length: committed }, (_, i) => i + 1));
        const live = await searchProducts(t.db, ctx.tenantId, {}, 250);
        for (const p of live) {
          const last = changes.filter((c) => c.entityId === p.id).at(-1);
          expect(last?.version).toBe(p.version);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('a transaction that fails after writing its change row leaves neither', async () => {
    const tenantId = await insertTenant(t.db);
    const failing = t.db.transaction(async (tx) => {
      await recordChanges(tx, tenantId, 'user', [
        { entity: 'product', entityId: '00000000-0000-4000-8000-000000000001', version: 1, op: 'create' },
      ]);
      throw new Error('boom after the write');
    });
    await expect(failing).rejects.toThrow('boom after the write');
    expect(await listChangesAfter(t.db, tenantId, 0, 10)).toEqual([]);
  });
});
