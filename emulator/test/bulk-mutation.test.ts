import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorWorld, TOKEN } from './support/emulator-world.ts';
import { at, graphql, json } from './support/http.ts';
import { startReceiver, type Receiver } from './support/receiver.ts';

let w: Awaited<ReturnType<typeof emulatorWorld>>;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  w = await emulatorWorld('bulk-mutation', { products: 4, customers: 3 });
});
afterAll(async () => {
  await w.running.close();
  await receiver.close();
});
beforeEach(async () => {
  await json(`${w.running.url}/_emulator/faults`, { method: 'DELETE' });
});

const STAGE = `mutation($input: [StagedUploadInput!]!) { stagedUploadsCreate(input: $input) {
  stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } } }`;
const RUN = `mutation($m: String!, $p: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $p) {
  bulkOperation { id status type } userErrors { field message code } } }`;
const PRODUCT_UPDATE =
  'mutation($product: ProductUpdateInput!) { productUpdate(product: $product) { product { id title } userErrors { field message } } }';

interface Target {
  url: string;
  resourceUrl: string | null;
  parameters: { name: string; value: string }[];
}

async function stage(filename = 'vars.jsonl'): Promise<Target> {
  const reply = await graphql(w.origin, TOKEN, STAGE, {
    input: [{ resource: 'BULK_MUTATION_VARIABLES', filename, mimeType: 'text/jsonl', httpMethod: 'POST' }],
  });
  expect(at(reply.body, 'data', 'stagedUploadsCreate', 'userErrors')).toEqual([]);
  return at(reply.body, 'data', 'stagedUploadsCreate', 'stagedTargets', 0) as Target;
}

/** The upload as an app makes it: every parameter as a form field, then the file. */
async function upload(target: Target, bytes: Uint8Array | string, skip: string[] = []): Promise<Response> {
  const form = new FormData();
  for (const p of target.parameters) if (!skip.includes(p.name)) form.append(p.name, p.value);
  form.append('file', new Blob([bytes], { type: 'text/jsonl' }), 'vars.jsonl');
  return fetch(target.url, { method: 'POST', body: form });
}

const keyOf = (t: Target): string => t.parameters.find((p) => p.name === 'key')?.value ?? '';

async function stagedFile(lines: string): Promise<string> {
  const target = await stage();
  const uploaded = await upload(target, lines);
  expect(uploaded.status).toBe(201);
  await uploaded.text();
  return keyOf(target);
}

async function poll(id: string) {
  const reply = await graphql(
    w.origin,
    TOKEN,
    `{ bulkOperation(id: "${id}") { status type objectCount url errorCode } }`,
  );
  return at(reply.body, 'data', 'bulkOperation') as {
    status: string;
    type: string;
    objectCount: string;
    url: string | null;
  };
}

async function resultLines(url: string): Promise<Record<string, unknown>[]> {
  const file = await fetch(url);
  expect(file.status).toBe(200);
  return (await file.text())
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const productGids = (): string[] => [...w.shop.products.keys()].map((id) => `gid://shopify/Product/${id}`);

describe('staged upload → bulkOperationRunMutation → poll → result file (over HTTP)', () => {
  it('runs every line, fires each record’s webhook like a single mutation, then bulk_operations/finish', async () => {
    w.subscribe('products/update', `${receiver.url}/products`);
    w.subscribe('bulk_operations/finish', `${receiver.url}/finish`);
    const target = await stage();
    expect(target.url).toBe(`${w.running.url}/_emulator/staged-uploads`);
    expect(target.resourceUrl).toBeNull();
    expect(target.parameters.map((p) => p.name)).toContain('key');
    const [a, b] = productGids();
    const jsonl = [
      { product: { id: a, title: 'Bulk A' } },
      { product: { id: b, title: 'Bulk B' } },
      { product: { id: 'gid://shopify/Product/1', title: 'Nobody' } },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const uploaded = await upload(target, jsonl);
    expect(uploaded.status).toBe(201);
    expect(await uploaded.text()).toContain(`<Key>${keyOf(target)}</Key>`);
    const run = await graphql(w.origin, TOKEN, RUN, { m: PRODUCT_UPDATE, p: keyOf(target) });
    expect(at(run.body, 'data', 'bulkOperationRunMutation', 'userErrors')).toEqual([]);
    const id = at(run.body, 'data', 'bulkOperationRunMutation', 'bulkOperation', 'id') as string;
    expect(at(run.body, 'data', 'bulkOperationRunMutation', 'bulkOperation', 'type')).toBe('MUTATION');
    await w.running.emulator.bulk.whenIdle();
    const done = await poll(id);
    expect(done).toMatchObject({ status: 'COMPLETED', type: 'MUTATION', objectCount: '3' });
    const lines = await resultLines(done.url ?? '');
    expect(lines.map((l) => l['__lineNumber'])).toEqual([0, 1, 2]);
    expect(at(lines[0], 'data', 'productUpdate', 'product', 'title')).toBe('Bulk A');
    expect(at(lines[2], 'data', 'productUpdate', 'userErrors')).toEqual([
      { field: ['id'], message: 'Product does not exist' },
    ]);
    const current = await graphql(w.origin, TOKEN, '{ currentBulkOperation(type: MUTATION) { id status } }');
    expect(at(current.body, 'data', 'currentBulkOperation')).toEqual({ id, status: 'COMPLETED' });
    await w.drain();
    const updated = receiver.received.filter((r) => r.path === '/products');
    expect(
      updated
        .map((r) => (JSON.parse(r.rawBody) as { admin_graphql_api_id: string }).admin_graphql_api_id)
        .sort(),
    ).toEqual([a, b].sort());
    const finish = receiver.received.filter((r) => r.path === '/finish');
    expect(finish).toHaveLength(1);
    expect(JSON.parse(finish[0]?.rawBody ?? '{}')).toMatchObject({
      admin_graphql_api_id: id,
      status: 'completed',
      type: 'mutation',
    });
  });

  it('charges the call as one mutation and nothing per line', async () => {
    const gid = productGids()[0] ?? '';
    const path = await stagedFile(
      Array.from({ length: 150 }, (_, i) => JSON.stringify({ product: { id: gid, title: `T${i}` } })).join(
        '\n',
      ),
    );
    const run = await graphql(w.origin, TOKEN, RUN, { m: PRODUCT_UPDATE, p: path });
    const cost = at(run.body, 'extensions', 'cost') as {
      actualQueryCost: number;
      throttleStatus: { currentlyAvailable: number };
    };
    expect(cost.actualQueryCost).toBe(10);
    await w.running.emulator.bulk.whenIdle();
    // The manual clock stands still: nothing restores, so any charge per line would show here.
    const bucket = w.running.emulator.throttles.bucketFor(w.running.emulator.options.apiKey, w.domain);
    expect(bucket.status().currentlyAvailable).toBe(cost.throttleStatus.currentlyAvailable);
    expect(w.shop.products.get(Number(gid.split('/').at(-1)))?.title).toBe('T149');
  });

  it('a mutation named per batch is found again among bulkOperations by its document (resume after a kill)', async () => {
    const named = PRODUCT_UPDATE.replace('mutation(', 'mutation RetailosRepair_42(');
    const path = await stagedFile(
      `${JSON.stringify({ product: { id: productGids()[2], title: 'Named' } })}\n`,
    );
    const run = await graphql(w.origin, TOKEN, RUN, { m: named, p: path });
    const id = at(run.body, 'data', 'bulkOperationRunMutation', 'bulkOperation', 'id') as string;
    await w.running.emulator.bulk.whenIdle();
    const listed = await graphql(
      w.origin,
      TOKEN,
      '{ bulkOperations(first: 10, query: "operation_type:mutation") { nodes { id type query } } }',
    );
    const nodes = at(listed.body, 'data', 'bulkOperations', 'nodes') as {
      id: string;
      type: string;
      query: string;
    }[];
    expect(nodes.every((n) => n.type === 'MUTATION')).toBe(true);
    expect(nodes.filter((n) => n.query.includes('RetailosRepair_42')).map((n) => n.id)).toEqual([id]);
    const control = (await json(`${w.running.url}/_emulator/bulk/operations?shop=${w.domain}`)).body as {
      operations: { id: string; type: string; status: string }[];
    };
    expect(control.operations.find((o) => o.id === id)).toMatchObject({
      type: 'MUTATION',
      status: 'COMPLETED',
    });
  });

  it('an outage fails the call itself (503) and starts no operation', async () => {
    const path = await stagedFile('{}\n');
    const before = w.running.emulator.bulk.records().length;
    await json(`${w.running.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ outage: true }),
    });
    const run = await graphql(w.origin, TOKEN, RUN, { m: PRODUCT_UPDATE, p: path });
    expect(run.status).toBe(503);
    expect(w.running.emulator.bulk.records()).toHaveLength(before);
  });
});

describe('hostile input gets a documented error, never a 5xx', () => {
  const runWith = async (bytes: Uint8Array | string) => {
    const target = await stage();
    const uploaded = await upload(target, bytes);
    expect(uploaded.status).toBe(201);
    await uploaded.text();
    const run = await graphql(w.origin, TOKEN, RUN, { m: PRODUCT_UPDATE, p: keyOf(target) });
    expect(run.status).toBe(200);
    return at(run.body, 'data', 'bulkOperationRunMutation') as {
      bulkOperation: { id: string } | null;
      userErrors: { code: string; message: string }[];
    };
  };

  it.each([
    ['a raw NUL byte inside a line', '{"product": {"id": "x", "title": "a\u0000b"}}\n'],
    ['a malformed line', '{"product": {"id": "x"}\n{"product": \n'],
    ['a line that is not an object', '[1, 2]\n'],
    ['a blank line in the middle', '{"product": {"id": "x"}}\n\n{"product": {"id": "y"}}\n'],
    ['bytes that are not UTF-8', Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])],
  ])('%s: INVALID_STAGED_UPLOAD_FILE', async (_name, bytes) => {
    const result = await runWith(bytes);
    expect(result.bulkOperation).toBeNull();
    expect(result.userErrors).toEqual([
      expect.objectContaining({
        code: 'INVALID_STAGED_UPLOAD_FILE',
        message: 'Unexpected file structure - expected JSONL',
      }),
    ]);
  });

  it('escaped NULs, lone surrogates and huge numbers run as lines: each gets its own result', async () => {
    const gid = productGids()[1] ?? '';
    const result = await runWith(
      [
        `{"product": {"id": "${gid}", "title": "nul\\u0000 and \\ud800 lone"}}`,
        `{"product": {"id": "${gid}", "title": 1e400}}`,
        `{"product": {"id": 123456789012345678901234567890, "title": "big id"}}`,
      ].join('\n'),
    );
    expect(result.userErrors).toEqual([]);
    await w.running.emulator.bulk.whenIdle();
    const done = await poll(result.bulkOperation?.id ?? '');
    expect(done.status).toBe('COMPLETED');
    const lines = await resultLines(done.url ?? '');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l['__lineNumber'])).toEqual([0, 1, 2]);
    expect(lines[1]?.['errors']).toBeDefined();
    expect(lines[2]?.['errors'] ?? at(lines[2], 'data', 'productUpdate', 'userErrors')).toBeTruthy();
  });

  it('a bad mutation string and a missing upload are refused with their codes', async () => {
    const bad = await graphql(w.origin, TOKEN, RUN, { m: 'mutation { nope', p: 'tmp/x' });
    expect(at(bad.body, 'data', 'bulkOperationRunMutation', 'userErrors', 0, 'code')).toBe(
      'INVALID_MUTATION',
    );
    const missing = await graphql(w.origin, TOKEN, RUN, { m: PRODUCT_UPDATE, p: 'tmp/never/uploaded' });
    expect(at(missing.body, 'data', 'bulkOperationRunMutation', 'userErrors', 0, 'code')).toBe(
      'NO_SUCH_FILE',
    );
  });

  it('the upload target refuses a forged signature, a changed key, no file and a body that is not a form', async () => {
    const target = await stage();
    const forged = {
      ...target,
      parameters: target.parameters.map((p) =>
        p.name === 'x-goog-signature' ? { ...p, value: 'f'.repeat(64) } : p,
      ),
    };
    const a = await upload(forged, '{}\n');
    expect(a.status).toBe(403);
    expect(await a.text()).toContain('SignatureDoesNotMatch');
    const moved = {
      ...target,
      parameters: target.parameters.map((p) => (p.name === 'key' ? { ...p, value: 'tmp/elsewhere' } : p)),
    };
    const b = await upload(moved, '{}\n');
    expect(b.status).toBe(403);
    await b.text();
    const noFile = new FormData();
    for (const p of target.parameters) noFile.append(p.name, p.value);
    const c = await fetch(target.url, { method: 'POST', body: noFile });
    expect(c.status).toBe(400);
    await c.text();
    const d = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: 'garbage',
    });
    expect(d.status).toBe(400);
    await d.text();
  });

  it('stagedUploadsCreate for a resource the emulator does not stage names it', async () => {
    const reply = await graphql(w.origin, TOKEN, STAGE, {
      input: [{ resource: 'IMAGE', filename: 'a.png', mimeType: 'image/png', httpMethod: 'POST' }],
    });
    expect(at(reply.body, 'errors', 0, 'extensions', 'code')).toBe('NOT_IMPLEMENTED_IN_EMULATOR');
    expect(at(reply.body, 'errors', 0, 'message')).toContain('IMAGE');
  });
});
