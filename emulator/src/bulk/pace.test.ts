import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../control/clock.ts';
import {
  createBulkOperations,
  resolveBulkDownload,
  type BulkCaller,
  type BulkFinishEvent,
  type BulkPace,
  type SetTimer,
} from './index.ts';
import { createCatalog } from './test-catalog.ts';

const SECRET = 'bulk-secret';
const caller: BulkCaller = {
  shop: 'a.myshopify.com',
  appKey: 'app-1',
  scopes: ['read_products'],
  version: '2026-01',
};
const PRODUCTS_WITH_VARIANTS =
  '{ products { edges { node { id title variants { edges { node { id sku } } } } } } }';
/** On a manual clock, time moves only when the test advances it: no real timer ever fires. */
const noTimer: SetTimer = () => () => undefined;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function paced(products: number, variants: number, pageSize: number, initialPace: BulkPace) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulk-pace-test-'));
  dirs.push(dataDir);
  const clock = createManualClock(Date.UTC(2026, 4, 1, 12, 0, 0));
  const settings = { pace: initialPace };
  const events: BulkFinishEvent[] = [];
  const operations = createBulkOperations({
    clock,
    dataDir,
    baseUrl: () => 'http://127.0.0.1:4010',
    signingSecret: SECRET,
    execute: createCatalog(products, variants).execute,
    pageSize,
    pace: () => settings.pace,
    setTimer: noTimer,
  });
  operations.onFinish((e) => events.push(e));
  const id = operations.runQuery(caller, PRODUCTS_WITH_VARIANTS).bulkOperation?.id ?? '';
  const view = () => operations.get(caller, id);
  /** Moves the clock and lets the paced run catch up with it. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    operations.kick();
    await operations.settled();
  };
  return { operations, clock, settings, events, id, view, advance, total: products * (1 + variants) };
}

describe('a paced bulk export', () => {
  it('counts objects at the pace on the clock, and has a file only once COMPLETED', async () => {
    // 100 products with 1 variant: 200 objects, pages of 10 products (20 objects), 40 objects/s.
    const p = paced(100, 1, 10, 40);
    await p.operations.settled();
    expect(p.view()).toMatchObject({ status: 'RUNNING', objectCount: '0', url: null, partialDataUrl: null });
    await p.advance(499);
    expect(p.view()?.objectCount).toBe('0');
    await p.advance(1);
    expect(p.view()?.objectCount).toBe('20');
    await p.advance(2000);
    expect(p.view()).toMatchObject({
      status: 'RUNNING',
      objectCount: '100',
      url: null,
      partialDataUrl: null,
    });
    expect(p.events).toEqual([]);
    await p.advance(2499);
    expect(p.view()).toMatchObject({ status: 'RUNNING', objectCount: '180', url: null });
    await p.advance(1);
    await p.operations.whenIdle();
    const done = p.view();
    expect(done).toMatchObject({
      status: 'COMPLETED',
      objectCount: '200',
      rootObjectCount: '100',
      createdAt: '2026-05-01T12:00:00Z',
      completedAt: '2026-05-01T12:00:05Z',
    });
    expect(p.events.map((e) => e.webhookPayload.status)).toEqual(['completed']);
    const url = new URL(done?.url ?? '');
    const download = resolveBulkDownload(p.operations, SECRET, url.pathname + url.search);
    expect(download.status).toBe(200);
    const chunks: Buffer[] = [];
    for await (const chunk of download.body as AsyncIterable<Buffer>) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString('utf8').trimEnd().split('\n')).toHaveLength(200);
  });

  it('keeps objectCount within pace × elapsed time, and completes once every object is due, whatever the steps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 5, max: 3000 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 25 }),
        async (products, variants, pageSize, pace, steps) => {
          const p = paced(products, variants, pageSize, pace);
          await p.operations.settled();
          const start = p.clock.nowMs();
          const pageObjects = pageSize * (1 + variants);
          let last = 0;
          for (const ms of [...steps, Math.ceil((p.total * 1000) / pace) + 1]) {
            await p.advance(ms);
            const v = p.view();
            const count = Number(v?.objectCount);
            const due = (pace * (p.clock.nowMs() - start)) / 1000;
            expect(count).toBeGreaterThanOrEqual(last);
            expect(count).toBeLessThanOrEqual(due + 1e-6);
            // Never slower than the pace either: at most the page being waited for is missing.
            expect(count).toBeGreaterThanOrEqual(Math.min(p.total, due) - pageObjects);
            if (v?.status === 'COMPLETED') expect(count).toBe(p.total);
            else {
              expect(v).toMatchObject({ status: 'RUNNING', url: null, partialDataUrl: null });
              expect(p.events).toEqual([]);
            }
            last = count;
          }
          await p.operations.whenIdle();
          expect(p.view()).toMatchObject({ status: 'COMPLETED', objectCount: String(p.total) });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('cancels a run waiting for its pace at once, without the clock moving', async () => {
    const p = paced(50, 1, 10, 1);
    await p.operations.settled();
    expect(p.operations.cancel(caller, p.id).userErrors).toEqual([]);
    await p.operations.whenIdle();
    expect(p.view()).toMatchObject({ status: 'CANCELED', objectCount: '0', url: null });
    expect(p.events.map((e) => e.webhookPayload.status)).toEqual(['canceled']);
  });

  it('applies a new pace to the page waiting, and no pace finishes the export at once', async () => {
    const p = paced(30, 0, 10, 1);
    await p.operations.settled();
    p.settings.pace = 10;
    await p.advance(1000);
    expect(p.view()?.objectCount).toBe('10');
    p.settings.pace = null;
    p.operations.kick();
    await p.operations.whenIdle();
    expect(p.view()).toMatchObject({ status: 'COMPLETED', objectCount: '30' });
  });

  it('runs unpaced as fast as it goes', async () => {
    const p = paced(30, 1, 10, null);
    await p.operations.whenIdle();
    expect(p.view()).toMatchObject({ status: 'COMPLETED', objectCount: '60' });
  });
});
