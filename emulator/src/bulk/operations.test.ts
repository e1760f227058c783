import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../control/clock.ts';
import {
  concurrentQueryLimit,
  createBulkOperations,
  createStepScheduler,
  resolveBulkDownload,
  type BulkCaller,
  type BulkFinishEvent,
  type BulkOptions,
  type BulkPageExecutor,
} from './index.ts';
import { createCatalog } from './test-catalog.ts';

const SECRET = 'bulk-secret';
const caller: BulkCaller = {
  shop: 'a.myshopify.com',
  appKey: 'app-1',
  scopes: ['read_products'],
  version: '2026-01',
};
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(execute: BulkPageExecutor, extra: Partial<BulkOptions> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulk-test-'));
  dirs.push(dataDir);
  const clock = createManualClock(Date.UTC(2026, 4, 1, 12, 0, 0));
  const events: BulkFinishEvent[] = [];
  const operations = createBulkOperations({
    clock,
    dataDir,
    baseUrl: () => 'http://127.0.0.1:4010',
    signingSecret: SECRET,
    execute,
    pageSize: 100,
    ...extra,
  });
  operations.onFinish((event) => events.push(event));
  return { operations, clock, events, dataDir };
}

async function readBody(body: Readable | string): Promise<string> {
  if (typeof body === 'string') return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

const PRODUCTS_WITH_VARIANTS =
  '{ products { edges { node { id title variants { edges { node { id sku } } } } } } }';

describe('bulk JSONL round trip', () => {
  it('returns every object exactly once, each child after its parent with __parentId', async () => {
    const catalog = createCatalog(250, 3);
    const { operations, events } = setup(catalog.execute);
    const started = operations.runQuery(caller, PRODUCTS_WITH_VARIANTS);
    expect(started.userErrors).toEqual([]);
    expect(started.bulkOperation?.status).toBe('CREATED');
    await operations.whenIdle();

    const done = operations.get(caller, started.bulkOperation?.id ?? '');
    expect(done).toMatchObject({
      status: 'COMPLETED',
      objectCount: '1000',
      rootObjectCount: '250',
      errorCode: null,
    });
    expect(done?.completedAt).toBe('2026-05-01T12:00:00Z');
    expect(catalog.calls()).toBe(3);

    const response = resolveBulkDownload(operations, SECRET, pathOf(done?.url ?? ''));
    expect(response.status).toBe(200);
    const text = await readBody(response.body);
    expect(String(Buffer.byteLength(text))).toBe(done?.fileSize);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1000);
    const seen = new Set<unknown>();
    for (const line of lines) {
      expect(seen.has(line['id'])).toBe(false);
      if (line['__parentId'] !== undefined) expect(seen.has(line['__parentId'])).toBe(true);
      seen.add(line['id']);
    }
    expect(seen.size).toBe(1000);
    expect(lines[0]).toEqual({ id: 'gid://shopify/Product/1', title: 'Product 1' });
    expect(lines[1]).toEqual({
      id: 'gid://shopify/ProductVariant/101',
      sku: 'SKU-101',
      __parentId: 'gid://shopify/Product/1',
    });
    expect(Object.keys(lines[1] ?? {}).at(-1)).toBe('__parentId');
    expect(events.map((e) => e.webhookPayload)).toEqual([
      {
        admin_graphql_api_id: done?.id,
        completed_at: '2026-05-01T12:00:00Z',
        created_at: '2026-05-01T12:00:00Z',
        error_code: null,
        status: 'completed',
        type: 'query',
      },
    ]);
  });

  it('keeps non-connection objects inline and parents second-level children on their own node', async () => {
    const { operations } = setup(createCatalog(2, 1).execute);
    const query =
      '{ products { edges { node { id seo { title } variants { edges { node { id inventoryItem { id tracked inventoryLevels { edges { node { id } } } } } } } } } } }';
    const started = operations.runQuery(caller, query);
    await operations.whenIdle();
    const url = operations.get(caller, started.bulkOperation?.id ?? '')?.url ?? '';
    const lines = (await readBody(resolveBulkDownload(operations, SECRET, pathOf(url)).body))
      .trimEnd()
      .split('\n');
    expect(lines.slice(0, 4).map((l) => JSON.parse(l))).toEqual([
      { id: 'gid://shopify/Product/1', seo: { title: 'SEO 1' } },
      {
        id: 'gid://shopify/ProductVariant/101',
        inventoryItem: { id: 'gid://shopify/InventoryItem/101', tracked: true },
        __parentId: 'gid://shopify/Product/1',
      },
      {
        id: 'gid://shopify/InventoryLevel/1?inventory_item_id=101',
        __parentId: 'gid://shopify/ProductVariant/101',
      },
      {
        id: 'gid://shopify/InventoryLevel/2?inventory_item_id=101',
        __parentId: 'gid://shopify/ProductVariant/101',
      },
    ]);
    expect(lines).toHaveLength(8);
  });

  it('completes an empty export with no file and no url', async () => {
    const { operations } = setup(createCatalog(0, 0).execute);
    const started = operations.runQuery(caller, '{ products { edges { node { id } } } }');
    await operations.whenIdle();
    expect(operations.get(caller, started.bulkOperation?.id ?? '')).toMatchObject({
      status: 'COMPLETED',
      objectCount: '0',
      url: null,
      fileSize: null,
    });
  });
});

describe('bulk progress and cancel', () => {
  it('shows RUNNING with a growing objectCount between chunks', async () => {
    const scheduler = createStepScheduler();
    const { operations } = setup(createCatalog(300, 1).execute, { scheduler });
    const id = operations.runQuery(caller, PRODUCTS_WITH_VARIANTS).bulkOperation?.id ?? '';
    expect(operations.current(caller)?.status).toBe('CREATED');
    const counts: string[] = [];
    while (scheduler.waiting) {
      await Promise.race([scheduler.step(), operations.whenIdle()]);
      const now = operations.get(caller, id);
      counts.push(`${now?.status}:${now?.objectCount}`);
    }
    expect(counts).toEqual(['RUNNING:200', 'RUNNING:400', 'COMPLETED:600']);
  });

  it('cancels at the next chunk boundary and says so in the finish event', async () => {
    const scheduler = createStepScheduler();
    const { operations, events } = setup(createCatalog(300, 1).execute, { scheduler });
    const id = operations.runQuery(caller, PRODUCTS_WITH_VARIANTS).bulkOperation?.id ?? '';
    await scheduler.step();
    const canceling = operations.cancel(caller, id);
    expect(canceling.userErrors).toEqual([]);
    expect(canceling.bulkOperation?.status).toBe('CANCELING');
    await Promise.race([scheduler.step(), operations.whenIdle()]);
    await operations.whenIdle();
    expect(operations.get(caller, id)).toMatchObject({ status: 'CANCELED', url: null, objectCount: '200' });
    expect(events[0]?.webhookPayload.status).toBe('canceled');
    expect(operations.cancel(caller, id).userErrors).toEqual([
      { field: null, message: 'A bulk operation cannot be canceled when it is canceled' },
    ]);
  });

  it('answers an unknown id (or another app’s) with "Bulk operation does not exist"', () => {
    const { operations } = setup(createCatalog(1, 1).execute);
    const id = operations.runQuery(caller, PRODUCTS_WITH_VARIANTS).bulkOperation?.id ?? '';
    const other = { ...caller, appKey: 'app-2' };
    expect(operations.cancel(other, id)).toEqual({
      bulkOperation: null,
      userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }],
    });
    expect(operations.get(other, id)).toBeNull();
    expect(operations.current(other)).toBeNull();
  });
});

describe('bulk concurrency', () => {
  it('allows 5 query operations per app and shop from 2026-01, then says one is in progress', () => {
    const scheduler = createStepScheduler();
    const { operations } = setup(createCatalog(1, 1).execute, { scheduler });
    const ids = Array.from({ length: 5 }, () => operations.runQuery(caller, PRODUCTS_WITH_VARIANTS));
    expect(ids.every((r) => r.userErrors.length === 0)).toBe(true);
    const sixth = operations.runQuery(caller, PRODUCTS_WITH_VARIANTS);
    expect(sixth).toEqual({
      bulkOperation: null,
      userErrors: [
        {
          field: null,
          message: `A bulk query operation for this app and shop is already in progress: ${ids[4]?.bulkOperation?.id}.`,
          code: 'OPERATION_IN_PROGRESS',
        },
      ],
    });
    expect(
      operations.runQuery({ ...caller, shop: 'b.myshopify.com' }, PRODUCTS_WITH_VARIANTS).userErrors,
    ).toEqual([]);
  });

  it('allows one at a time before 2026-01', () => {
    expect(concurrentQueryLimit('2025-10')).toBe(1);
    expect(concurrentQueryLimit('2026-01')).toBe(5);
    expect(concurrentQueryLimit('2026-07')).toBe(5);
  });

  it('rejects invalid queries with userErrors and starts nothing', () => {
    const { operations } = setup(createCatalog(1, 1).execute);
    expect(operations.runQuery(caller, '')).toEqual({
      bulkOperation: null,
      userErrors: [
        {
          field: ['query'],
          message: 'Invalid bulk query: syntax error, unexpected end of file',
          code: 'INVALID',
        },
      ],
    });
    const unknownField = operations.runQuery(caller, '{ products { edges { node { id nope } } } }');
    expect(unknownField.userErrors[0]?.message).toMatch(/^Invalid bulk query: .*nope/);
    expect(operations.list(caller)).toEqual([]);
  });
});

describe('bulk results expire and fail', () => {
  it('expires 7 days after completion: status EXPIRED, url gone, old link refused', async () => {
    const { operations, clock, dataDir } = setup(createCatalog(3, 1).execute);
    const id = operations.runQuery(caller, PRODUCTS_WITH_VARIANTS).bulkOperation?.id ?? '';
    await operations.whenIdle();
    const url = operations.get(caller, id)?.url ?? '';
    expect(url).toMatch(
      /^http:\/\/127\.0\.0\.1:4010\/_emulator\/bulk\/\d+\.jsonl\?expires=\d+&signature=[0-9a-f]{64}$/,
    );
    clock.advance(7 * 24 * 3600 * 1000 - 1000);
    expect(operations.get(caller, id)?.status).toBe('COMPLETED');
    clock.advance(1000);
    expect(operations.get(caller, id)).toMatchObject({ status: 'EXPIRED', url: null });
    expect(resolveBulkDownload(operations, SECRET, pathOf(url)).status).toBe(400);
    expect(readdirSync(dataDir)).toHaveLength(1);
    expect(operations.sweepExpired()).toBe(1);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(operations.get(caller, id)).toMatchObject({ status: 'EXPIRED', url: null });
  });

  it('refuses a tampered signature or an unknown path', async () => {
    const { operations } = setup(createCatalog(3, 1).execute);
    const id = operations.runQuery(caller, PRODUCTS_WITH_VARIANTS).bulkOperation?.id ?? '';
    await operations.whenIdle();
    const url = pathOf(operations.get(caller, id)?.url ?? '');
    expect(resolveBulkDownload(operations, SECRET, url.replace(/signature=./, 'signature=0')).status).toBe(
      403,
    );
    expect(resolveBulkDownload(operations, 'other-secret', url).status).toBe(403);
    expect(resolveBulkDownload(operations, SECRET, '/_emulator/bulk/x.txt').status).toBe(404);
  });

  it('fails with ACCESS_DENIED or INTERNAL_SERVER_ERROR, keeping partial data', async () => {
    const catalog = createCatalog(150, 1);
    let page = 0;
    const flaky: BulkPageExecutor = (request) => {
      page++;
      if (page === 2) return { data: null, errors: [{ message: 'boom' }] };
      return catalog.execute(request);
    };
    const { operations, events } = setup(flaky);
    const id = operations.runQuery(caller, PRODUCTS_WITH_VARIANTS).bulkOperation?.id ?? '';
    await operations.whenIdle();
    const failed = operations.get(caller, id);
    expect(failed).toMatchObject({
      status: 'FAILED',
      errorCode: 'INTERNAL_SERVER_ERROR',
      url: null,
      objectCount: '200',
    });
    expect(failed?.partialDataUrl).toMatch(/\/_emulator\/bulk\//);
    expect(events[0]?.failure).toBe('boom');
    expect(events[0]?.webhookPayload).toMatchObject({
      status: 'failed',
      error_code: 'internal_server_error',
    });

    const denied: BulkPageExecutor = () => ({
      errors: [{ message: 'Access denied', extensions: { code: 'ACCESS_DENIED' } }],
    });
    const second = setup(denied);
    const deniedId = second.operations.runQuery(caller, PRODUCTS_WITH_VARIANTS).bulkOperation?.id ?? '';
    await second.operations.whenIdle();
    expect(second.operations.get(caller, deniedId)).toMatchObject({
      status: 'FAILED',
      errorCode: 'ACCESS_DENIED',
      partialDataUrl: null,
    });
  });
});

describe('bulk finish listeners', () => {
  it('reports a throwing listener to onError and still finishes the operation', async () => {
    const reported: unknown[] = [];
    const { operations, events } = setup(createCatalog(2, 1).execute, { onError: (e) => reported.push(e) });
    operations.onFinish(() => {
      throw new Error('listener broke');
    });
    const id = operations.runQuery(caller, PRODUCTS_WITH_VARIANTS).bulkOperation?.id ?? '';
    await operations.whenIdle();
    expect(operations.get(caller, id)?.status).toBe('COMPLETED');
    expect(events).toHaveLength(1);
    expect(reported.map((e) => (e as Error).message)).toEqual(['listener broke']);
  });
});

describe('bulk result files', () => {
  it('writes under the data directory', async () => {
    const { operations, dataDir } = setup(createCatalog(2, 1).execute);
    const id = operations.runQuery(caller, PRODUCTS_WITH_VARIANTS).bulkOperation?.id ?? '';
    await operations.whenIdle();
    const numeric = id.split('/').at(-1);
    expect(readFileSync(join(dataDir, `bulk-${numeric}.jsonl`), 'utf8').split('\n')).toHaveLength(5);
  });
});
