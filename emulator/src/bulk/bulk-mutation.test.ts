import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, addCustomer, addTee, fixture, type Fixture } from '../graphql/test-support.ts';
import { subscribe, type ChangeEvent } from '../store/index.ts';
import {
  bulkRootResolvers,
  createBulkOperations,
  createStepScheduler,
  type BulkOperations,
  type BulkOperationView,
  type Scheduler,
  type StagedUploads,
} from './index.ts';
import { createStoreBulkExecutor } from './store-executor.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'bulk-mutation-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const PRODUCT_UPDATE =
  'mutation($product: ProductUpdateInput!) { productUpdate(product: $product) { product { id title tags } userErrors { field message } } }';
const CUSTOMER_UPDATE =
  'mutation($input: CustomerInput!) { customerUpdate(input: $input) { customer { id note tags } userErrors { field message } } }';

/** Uploads that hold one file per path, set by the test (the HTTP test covers the real upload). */
function heldUploads(files: Map<string, string>): StagedUploads {
  return {
    create: () => ({ stagedTargets: [], userErrors: [] }),
    receive: () => ({ status: 500, body: '' }),
    read: (_shop, key) => (files.has(key) ? Buffer.from(files.get(key) ?? '', 'utf8') : null),
  };
}

interface World {
  f: Fixture;
  bulk: BulkOperations;
  files: Map<string, string>;
  run(mutation: string, lines: readonly unknown[]): ReturnType<BulkOperations['runMutation']>;
}

let worlds = 0;

/** Holds every run at its next turn until `open()`, then lets them all go. */
function gateScheduler(): Scheduler & { open(): void } {
  let opened = false;
  const waiting: (() => void)[] = [];
  return {
    next: () => (opened ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    open() {
      opened = true;
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

function world(f: Fixture, scheduler?: Scheduler, pace?: () => number | null): World {
  const files = new Map<string, string>();
  const bulk = createBulkOperations({
    clock: f.clock,
    dataDir: join(dataDir, `w${++worlds}`),
    baseUrl: () => 'http://127.0.0.1:4010',
    signingSecret: 's',
    execute: createStoreBulkExecutor(f.store),
    executeMutation: createStoreBulkExecutor(f.store, undefined, false),
    uploads: heldUploads(files),
    mutationChunkSize: 3,
    ...(scheduler ? { scheduler } : {}),
    // On the fixture's manual clock no real timer fires: time moves when the test advances it.
    ...(pace ? { pace, setTimer: () => () => undefined } : {}),
  });
  const caller = { shop: f.shop.domain, appKey: 'app-1', scopes: ALL_SCOPES, version: '2026-04' as const };
  return {
    f,
    bulk,
    files,
    run(mutation, lines) {
      const path = `tmp/${f.shop.domain}/bulk/${files.size}/vars.jsonl`;
      files.set(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      return bulk.runMutation(caller, mutation, path);
    },
  };
}

function resultOf(w: World, view: BulkOperationView | null): Record<string, unknown>[] {
  const id = view?.id.split('/').at(-1);
  const record = w.bulk.recordById(Number(id));
  if (!record?.filePath) throw new Error(`operation ${String(id)} has no result file`);
  return readFileSync(record.filePath, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('bulkOperationRunMutation (registry)', () => {
  it('runs each line through the resolvers and writes one result line per input line, in order', async () => {
    const w = world(fixture());
    const tee = addTee(w.f);
    const lines = [
      { product: { id: `gid://shopify/Product/${tee.id}`, title: 'First' } },
      { product: { id: 'gid://shopify/Product/999999', title: 'Nobody' } },
      { product: { id: `gid://shopify/Product/${tee.id}`, title: 'Second' } },
      { product: { id: `gid://shopify/Product/${tee.id}`, title: 42, unknownField: true } },
    ];
    const started = w.run(PRODUCT_UPDATE, lines);
    expect(started.userErrors).toEqual([]);
    expect(started.bulkOperation).toMatchObject({ type: 'MUTATION', status: 'CREATED' });
    await w.bulk.whenIdle();
    const view = w.bulk.get(
      { shop: w.f.shop.domain, appKey: 'app-1', scopes: ALL_SCOPES, version: '2026-04' },
      started.bulkOperation?.id ?? '',
    );
    expect(view).toMatchObject({
      status: 'COMPLETED',
      objectCount: '4',
      rootObjectCount: '4',
      type: 'MUTATION',
    });
    const result = resultOf(w, view);
    expect(result.map((l) => l['__lineNumber'])).toEqual([0, 1, 2, 3]);
    expect(result[0]).toEqual({
      data: {
        productUpdate: {
          product: { id: `gid://shopify/Product/${tee.id}`, title: 'First', tags: [] },
          userErrors: [],
        },
      },
      __lineNumber: 0,
    });
    expect(result[1]?.['data']).toEqual({
      productUpdate: { product: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] },
    });
    expect(result[2]).toMatchObject({ data: { productUpdate: { product: { title: 'Second' } } } });
    // A line whose variables do not coerce has a top-level error of its own; the others ran.
    const errors = result[3]?.['errors'] as { extensions?: { code?: string } }[];
    expect(errors.map((e) => e.extensions?.code)).toEqual(['INVALID_VARIABLE', 'INVALID_VARIABLE']);
    expect(w.f.shop.products.get(tee.id)?.title).toBe('Second');
  });

  it('refuses a bad mutation, a missing file and a file that is not JSONL, creating nothing', () => {
    const w = world(fixture());
    const caller = {
      shop: w.f.shop.domain,
      appKey: 'app-1',
      scopes: ALL_SCOPES,
      version: '2026-04' as const,
    };
    expect(w.run('mutation { productUpdate(', [{}]).userErrors).toEqual([
      expect.objectContaining({ field: ['mutation'], code: 'INVALID_MUTATION' }),
    ]);
    expect(w.run('{ shop { name } }', [{}]).userErrors[0]?.code).toBe('INVALID_MUTATION');
    expect(
      w.run(
        'mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") { userErrors { message } } }',
        [{}],
      ).userErrors[0]?.code,
    ).toBe('INVALID_MUTATION');
    expect(w.bulk.runMutation(caller, PRODUCT_UPDATE, 'tmp/nothing/here').userErrors).toEqual([
      expect.objectContaining({ field: ['stagedUploadPath'], code: 'NO_SUCH_FILE' }),
    ]);
    w.files.set('bad', '{"product": {}}\nnot json\n');
    expect(w.bulk.runMutation(caller, PRODUCT_UPDATE, 'bad').userErrors[0]?.code).toBe(
      'INVALID_STAGED_UPLOAD_FILE',
    );
    expect(w.bulk.records()).toHaveLength(0);
  });

  it('runs five bulk mutations at once per app and shop (2026-01+) and refuses a sixth', async () => {
    const gate = gateScheduler();
    const w = world(fixture(), gate);
    const tee = addTee(w.f);
    const line = { product: { id: `gid://shopify/Product/${tee.id}`, title: 'x' } };
    const ids = [1, 2, 3, 4, 5].map(() => w.run(PRODUCT_UPDATE, [line]).bulkOperation?.id);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    const sixth = w.run(PRODUCT_UPDATE, [line]);
    expect(sixth.bulkOperation).toBeNull();
    expect(sixth.userErrors).toEqual([
      {
        field: null,
        code: 'OPERATION_IN_PROGRESS',
        message: `A bulk mutation operation for this app and shop is already in progress: ${ids[4] ?? ''}.`,
      },
    ]);
    // Bulk queries are counted apart.
    const caller = {
      shop: w.f.shop.domain,
      appKey: 'app-1',
      scopes: ALL_SCOPES,
      version: '2026-04' as const,
    };
    expect(w.bulk.runQuery(caller, '{ products { edges { node { id } } } }').userErrors).toEqual([]);
    gate.open();
    await w.bulk.whenIdle();
    expect(
      w.bulk
        .list(caller)
        .filter((v) => v.type === 'MUTATION')
        .map((v) => v.status),
    ).toEqual(Array(5).fill('COMPLETED'));
    expect(w.run(PRODUCT_UPDATE, [line]).userErrors).toEqual([]);
    await w.bulk.whenIdle();
  });

  it('with a pace, lines count as objects: the run keeps to N lines per second of the clock', async () => {
    const f = fixture();
    const w = world(f, undefined, () => 1);
    const customers = [1, 2, 3, 4, 5, 6].map((i) => addCustomer(f, `p${i}@example.com`));
    const lines = customers.map((c) => ({ input: { id: `gid://shopify/Customer/${c.id}`, note: 'paced' } }));
    const id = w.run(CUSTOMER_UPDATE, lines).bulkOperation?.id ?? '';
    const caller = { shop: f.shop.domain, appKey: 'app-1', scopes: ALL_SCOPES, version: '2026-04' as const };
    await w.bulk.settled();
    expect(w.bulk.get(caller, id)).toMatchObject({ status: 'RUNNING', objectCount: '0' });
    f.clock.advance(3000);
    w.bulk.kick();
    await w.bulk.settled();
    expect(w.bulk.get(caller, id)).toMatchObject({ status: 'RUNNING', objectCount: '3' });
    expect(customers.map((c) => f.shop.customers.get(c.id)?.note ?? null)).toEqual([
      'paced',
      'paced',
      'paced',
      null,
      null,
      null,
    ]);
    f.clock.advance(3000);
    w.bulk.kick();
    await w.bulk.whenIdle();
    expect(w.bulk.get(caller, id)).toMatchObject({ status: 'COMPLETED', objectCount: '6' });
  });

  it('a cancel stops the run between chunks: lines already run stay applied, the rest never run', async () => {
    const scheduler = createStepScheduler();
    const w = world(fixture(), scheduler);
    const customers = [1, 2, 3, 4, 5, 6, 7].map((i) => addCustomer(w.f, `c${i}@example.com`));
    const lines = customers.map((c) => ({ input: { id: `gid://shopify/Customer/${c.id}`, note: 'bulk' } }));
    const started = w.run(CUSTOMER_UPDATE, lines);
    const caller = {
      shop: w.f.shop.domain,
      appKey: 'app-1',
      scopes: ALL_SCOPES,
      version: '2026-04' as const,
    };
    await scheduler.step(); // CREATED → RUNNING, the first chunk (3 lines), then it waits
    expect(w.bulk.get(caller, started.bulkOperation?.id ?? '')).toMatchObject({
      status: 'RUNNING',
      objectCount: '3',
    });
    const canceled = w.bulk.cancel(caller, started.bulkOperation?.id ?? '');
    expect(canceled.bulkOperation?.status).toBe('CANCELING');
    const idle = w.bulk.whenIdle();
    await Promise.race([scheduler.step(), idle]);
    await idle;
    expect(w.bulk.current(caller, 'MUTATION')).toMatchObject({ status: 'CANCELED', url: null });
    const notes = customers.map((c) => w.f.shop.customers.get(c.id)?.note ?? null);
    expect(notes).toEqual(['bulk', 'bulk', 'bulk', null, null, null, null]);
  });
});

/** What a store holds that the mutations touch, and the change events (→ webhooks) they fired. */
function stateOf(f: Fixture, events: ChangeEvent[]) {
  return {
    products: [...f.shop.products.values()].map((p) => ({
      id: p.id,
      title: p.title,
      tags: p.tags,
      u: p.updatedAt,
    })),
    customers: [...f.shop.customers.values()].map((c) => ({
      id: c.id,
      note: c.note,
      tags: c.tags,
      u: c.updatedAt,
    })),
    events: events.map((e) => `${e.kind} ${e.action} ${e.id} ${e.appKey ?? ''}`),
  };
}

function seeded(): { f: Fixture; events: ChangeEvent[] } {
  const f = fixture();
  addTee(f, 'Tee');
  addTee(f, 'Cap');
  addCustomer(f, 'ann@example.com');
  addCustomer(f, 'bob@example.com');
  const events: ChangeEvent[] = [];
  subscribe(f.store, (e) => events.push(e));
  return { f, events };
}

const text = fc.string({ maxLength: 12 });
const tags = fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 3 });

describe('a bulk mutation leaves the store as the same calls one by one would (property)', () => {
  it('random productUpdate or customerUpdate lines, existing and missing ids', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('product', 'customer'),
        fc.array(fc.record({ pick: fc.nat(2), value: text, tags }), { minLength: 1, maxLength: 12 }),
        async (kind, picks) => {
          const one = seeded();
          const many = seeded();
          const ids = (f: Fixture) =>
            kind === 'product'
              ? [...f.shop.products.keys()].map((id) => `gid://shopify/Product/${id}`)
              : [...f.shop.customers.keys()].map((id) => `gid://shopify/Customer/${id}`);
          const gid = (f: Fixture, pick: number) =>
            ids(f)[pick] ??
            (kind === 'product' ? 'gid://shopify/Product/424242' : 'gid://shopify/Customer/424242');
          const lineOf = (f: Fixture, p: (typeof picks)[number]) =>
            kind === 'product'
              ? { product: { id: gid(f, p.pick), title: p.value, tags: p.tags } }
              : { input: { id: gid(f, p.pick), note: p.value, tags: p.tags } };
          const mutation = kind === 'product' ? PRODUCT_UPDATE : CUSTOMER_UPDATE;
          for (const p of picks) await one.f.run(mutation, lineOf(one.f, p), { appKey: 'app-1' });
          const w = world(many.f);
          const started = w.run(
            mutation,
            picks.map((p) => lineOf(many.f, p)),
          );
          expect(started.userErrors).toEqual([]);
          await w.bulk.whenIdle();
          expect(stateOf(many.f, many.events)).toEqual(stateOf(one.f, one.events));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('bulkRootResolvers', () => {
  it('answers bulkOperationRunMutation with BulkMutationUserError codes through GraphQL', async () => {
    const f = fixture();
    const w = world(f);
    const resolvers = bulkRootResolvers(w.bulk);
    const { executeAdminGraphQL } = await import('../graphql/admin.ts');
    const response = await executeAdminGraphQL({
      store: f.store,
      shop: f.shop.domain,
      appKey: 'app-1',
      scopes: ALL_SCOPES,
      rootResolvers: resolvers,
      version: '2026-04',
      query: `mutation { bulkOperationRunMutation(mutation: "mutation { shop }", stagedUploadPath: "nope") { bulkOperation { id } userErrors { field message code } } }`,
    });
    expect(response.body).toMatchObject({
      data: {
        bulkOperationRunMutation: {
          bulkOperation: null,
          userErrors: [{ field: ['mutation'], code: 'INVALID_MUTATION' }],
        },
      },
    });
  });
});
