import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, dataOf, fixture, type Fixture } from '../graphql/test-support.ts';
import { appClientId } from '../store/index.ts';
import {
  createBulkOperations,
  createStepScheduler,
  type BulkOperations,
  type Scheduler,
  type StagedUploads,
} from './index.ts';
import { createStoreBulkExecutor } from './store-executor.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'bulk-metafields-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const APP_NS = `app--${appClientId('app-1')}`;
const caller = { appKey: 'app-1', scopes: ALL_SCOPES, version: '2026-04' as const };

let worlds = 0;

function bulkOf(f: Fixture, files: Map<string, string>, scheduler?: Scheduler): BulkOperations {
  const uploads: StagedUploads = {
    create: () => ({ stagedTargets: [], userErrors: [] }),
    receive: () => ({ status: 500, body: '' }),
    read: (_shop, key) => (files.has(key) ? Buffer.from(files.get(key) ?? '', 'utf8') : null),
  };
  return createBulkOperations({
    clock: f.clock,
    dataDir: join(dataDir, `w${++worlds}`),
    baseUrl: () => 'http://127.0.0.1:4010',
    signingSecret: 's',
    execute: createStoreBulkExecutor(f.store),
    executeMutation: createStoreBulkExecutor(f.store, undefined, false),
    uploads,
    ...(scheduler ? { scheduler, mutationChunkSize: 1 } : {}),
  });
}

function resultLines(bulk: BulkOperations, id: string | undefined): Record<string, unknown>[] {
  const record = bulk.recordById(Number(id?.split('/').at(-1)));
  if (!record?.filePath) throw new Error(`operation ${String(id)} has no result file`);
  return readFileSync(record.filePath, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function defineProductId(f: Fixture) {
  dataOf(
    await f.run(
      `mutation { metafieldDefinitionCreate(definition: {namespace: "$app", key: "retailos_id", name: "Retailos id", type: "id", ownerType: PRODUCT}) { userErrors { code } } }`,
    ),
  );
}

const PRODUCT_SET = `mutation($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input) { product { id title } userErrors { field code } } }`;

describe('bulk operations with metafields', () => {
  it('a bulk productSet file by custom id run twice makes each product once', async () => {
    const f = fixture();
    await defineProductId(f);
    const files = new Map<string, string>();
    const bulk = bulkOf(f, files);
    const lines = ['r-1', 'r-2', 'r-3'].map((value, i) => ({
      identifier: { customId: { key: 'retailos_id', value } },
      input: { title: `Item ${i}`, metafields: [{ key: 'retailos_id', type: 'id', value }] },
    }));
    files.set('tmp/vars.jsonl', lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const ids: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const started = bulk.runMutation({ shop: f.shop.domain, ...caller }, PRODUCT_SET, 'tmp/vars.jsonl');
      expect(started.userErrors).toEqual([]);
      await bulk.whenIdle();
      const result = resultLines(bulk, started.bulkOperation?.id);
      ids.push(
        result.map((l) => {
          const payload = (l['data'] as { productSet: { product: { id: string }; userErrors: unknown[] } })
            .productSet;
          expect(payload.userErrors).toEqual([]);
          return payload.product.id;
        }),
      );
    }
    expect(ids[1]).toEqual(ids[0]);
    expect(f.shop.products.size).toBe(3);
  });

  it('a bulk export selecting metafields writes them as child lines of their product', async () => {
    const f = fixture();
    await defineProductId(f);
    dataOf(
      await f.run(PRODUCT_SET, {
        identifier: { customId: { key: 'retailos_id', value: 'r-1' } },
        input: { title: 'Lamp' },
      }),
    );
    dataOf(await f.run(PRODUCT_SET, { input: { title: 'Bare' } }));
    const bulk = bulkOf(f, new Map());
    const started = bulk.runQuery(
      { shop: f.shop.domain, ...caller },
      '{ products { edges { node { id title metafields { edges { node { id namespace key value } } } } } } }',
    );
    expect(started.userErrors).toEqual([]);
    await bulk.whenIdle();
    const lines = resultLines(bulk, started.bulkOperation?.id);
    const lamp = lines.find((l) => l['title'] === 'Lamp');
    expect(lines.filter((l) => l['__parentId'] !== undefined)).toEqual([
      {
        id: expect.stringMatching(/^gid:\/\/shopify\/Metafield\/\d+$/),
        namespace: APP_NS,
        key: 'retailos_id',
        value: 'r-1',
        __parentId: lamp?.['id'],
      },
    ]);
    expect(lines.filter((l) => l['__parentId'] === undefined).map((l) => l['title'])).toEqual([
      'Lamp',
      'Bare',
    ]);
  });

  it('a bulk file and one-at-a-time calls by the same custom ids, interleaved: one product per id', async () => {
    const value = fc.constantFrom('r-1', 'r-2', 'r-3');
    await fc.assert(
      fc.asyncProperty(
        fc.array(value, { minLength: 1, maxLength: 5 }),
        fc.array(fc.record({ at: fc.nat(6), value }), { maxLength: 5 }),
        async (bulkValues, direct) => {
          const f = fixture();
          await defineProductId(f);
          const files = new Map<string, string>();
          const scheduler = createStepScheduler();
          const bulk = bulkOf(f, files, scheduler);
          const line = (v: string) => ({
            identifier: { customId: { key: 'retailos_id', value: v } },
            input: { title: v, metafields: [{ key: 'retailos_id', type: 'id', value: v }] },
          });
          files.set('tmp/vars.jsonl', bulkValues.map((v) => JSON.stringify(line(v))).join('\n') + '\n');
          const started = bulk.runMutation({ shop: f.shop.domain, ...caller }, PRODUCT_SET, 'tmp/vars.jsonl');
          expect(started.userErrors).toEqual([]);
          let done = false;
          const idle = bulk.whenIdle().then(() => {
            done = true;
          });
          const runDirect = async (only: (at: number) => boolean) => {
            for (const d of direct.filter((x) => only(x.at)))
              expect(dataOf(await f.run(PRODUCT_SET, line(d.value)))['productSet'].userErrors).toEqual([]);
          };
          let step = 0;
          while (!done) {
            await runDirect((at) => at === step);
            await Promise.race([scheduler.step(), idle]);
            step++;
          }
          await runDirect((at) => at >= step);
          const result = resultLines(bulk, started.bulkOperation?.id);
          for (const l of result)
            expect((l['data'] as { productSet: { userErrors: unknown[] } }).productSet.userErrors).toEqual(
              [],
            );
          const used = new Set([...bulkValues, ...direct.map((d) => d.value)]);
          const titles = [...f.shop.products.values()].map((p) => p.title).sort();
          expect(titles).toEqual([...used].sort());
        },
      ),
      { numRuns: 40 },
    );
  });
});
