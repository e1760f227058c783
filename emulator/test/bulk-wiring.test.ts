import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorWorld, TOKEN } from './support/emulator-world.ts';
import { at, graphql } from './support/http.ts';
import { startReceiver, type Receiver } from './support/receiver.ts';

let w: Awaited<ReturnType<typeof emulatorWorld>>;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  w = await emulatorWorld('bulk-http', { products: 6 });
});
afterAll(async () => {
  await w.running.close();
  await receiver.close();
});

describe('bulk operations through the server', () => {
  it('run, announce bulk_operations/finish to the app, and serve the JSONL at the signed URL', async () => {
    w.subscribe('bulk_operations/finish', `${receiver.url}/bulk`);
    const started = await graphql(
      w.origin,
      TOKEN,
      'mutation { bulkOperationRunQuery(query: "{ products { edges { node { id title } } } }") { bulkOperation { id status } userErrors { field message } } }',
    );
    expect(at(started.body, 'data', 'bulkOperationRunQuery', 'userErrors')).toEqual([]);
    const id = at(started.body, 'data', 'bulkOperationRunQuery', 'bulkOperation', 'id') as string;
    await w.running.emulator.bulk.whenIdle();
    await w.drain();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.headers['x-shopify-topic']).toBe('bulk_operations/finish');
    expect(JSON.parse(receiver.received[0]!.rawBody)).toMatchObject({
      admin_graphql_api_id: id,
      status: 'completed',
      type: 'query',
    });
    const polled = await graphql(
      w.origin,
      TOKEN,
      `{ bulkOperation(id: "${id}") { status objectCount url } }`,
    );
    expect(at(polled.body, 'data', 'bulkOperation', 'status')).toBe('COMPLETED');
    const url = at(polled.body, 'data', 'bulkOperation', 'url') as string;
    expect(url.startsWith(`${w.running.url}/_emulator/bulk/`)).toBe(true);
    const file = await fetch(url);
    expect(file.status).toBe(200);
    const lines = (await file.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    expect(lines).toHaveLength(6);
    expect(lines[0]?.id).toMatch(/^gid:\/\/shopify\/Product\//);
    const forged = await fetch(url.replace(/signature=[^&]+/, 'signature=forged'));
    expect(forged.status).toBe(403);
    // Read the body: an unread response keeps its keep-alive socket busy, and closing the server
    // in afterAll would then wait for it.
    await forged.arrayBuffer();
  });
});
