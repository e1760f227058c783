import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetTimer } from '../src/bulk/index.ts';
import { parseCli } from '../src/main.ts';
import { emulatorWorld, TOKEN } from './support/emulator-world.ts';
import { at, graphql, json, post } from './support/http.ts';

/** The world's clock is manual: only `POST /clock/advance` moves it, so no real timer need fire. */
const noTimer: SetTimer = () => () => undefined;

let w: Awaited<ReturnType<typeof emulatorWorld>>;
let base: string;

beforeAll(async () => {
  w = await emulatorWorld('bulk-pace', { products: 6, bulkTimer: noTimer });
  base = `${w.running.url}/_emulator`;
});
afterAll(async () => {
  await w.running.close();
});

const poll = async (id: string) =>
  at(
    (
      await graphql(
        w.origin,
        TOKEN,
        `{ bulkOperation(id: "${id}") { status objectCount url partialDataUrl } }`,
      )
    ).body,
    'data',
    'bulkOperation',
  );

describe('the bulk export pace', () => {
  it('is read and set at /_emulator/bulk/settings; a bad value is a 422 and changes nothing', async () => {
    expect((await json(`${base}/bulk/settings`)).body).toEqual({ pace: null });
    expect((await post(`${base}/bulk/settings`, { pace: 2000 })).body).toEqual({ pace: 2000 });
    expect((await json(`${base}/info`)).body).toMatchObject({ bulkPace: 2000 });
    for (const bad of [{ pace: 0 }, { pace: -5 }, { pace: 'fast' }, { pace: {} }, { speed: 10 }]) {
      const res = await post(`${base}/bulk/settings`, bad);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    }
    expect((await json(`${base}/bulk/settings`)).body).toEqual({ pace: 2000 });
    expect((await post(`${base}/bulk/settings`, { pace: null })).body).toEqual({ pace: null });
  });

  it('exports at the pace on the clock: RUNNING without a url until every object is due, then COMPLETED', async () => {
    // 6 products at 3 objects/s: the export takes 2 s of the emulator's clock.
    await post(`${base}/bulk/settings`, { pace: 3 });
    const started = await graphql(
      w.origin,
      TOKEN,
      'mutation { bulkOperationRunQuery(query: "{ products { edges { node { id title } } } }") { bulkOperation { id } userErrors { message } } }',
    );
    const id = at(started.body, 'data', 'bulkOperationRunQuery', 'bulkOperation', 'id') as string;
    await w.running.emulator.bulk.settled();
    expect(await poll(id)).toEqual({ status: 'RUNNING', objectCount: '0', url: null, partialDataUrl: null });
    await post(`${base}/clock/advance`, { ms: 1999 });
    await w.running.emulator.bulk.settled();
    expect(await poll(id)).toMatchObject({ status: 'RUNNING', url: null });
    await post(`${base}/clock/advance`, { ms: 1 });
    await w.running.emulator.bulk.whenIdle();
    const done = await poll(id);
    expect(done).toMatchObject({ status: 'COMPLETED', objectCount: '6', partialDataUrl: null });
    const file = await fetch(at(done, 'url') as string);
    expect((await file.text()).trim().split('\n')).toHaveLength(6);
    const listed = (await json(`${base}/bulk/operations?shop=${w.domain}`)).body as {
      operations: { id: string; status: string; createdAtMs: number; completedAtMs: number }[];
    };
    const op = listed.operations.find((o) => o.id === id);
    expect(op).toMatchObject({ status: 'COMPLETED', objectCount: 6 });
    expect((op?.completedAtMs ?? 0) - (op?.createdAtMs ?? 0)).toBe(2000);
    await post(`${base}/bulk/settings`, { pace: null });
  });

  it('--bulk-pace N sets it from the command line (an integer ≥ 1)', () => {
    expect(parseCli(['--bulk-pace', '2000'])).toMatchObject({ bulkPace: 2000 });
    expect(parseCli([])).not.toHaveProperty('bulkPace');
    expect(() => parseCli(['--bulk-pace', '0'])).toThrow(/--bulk-pace/);
    expect(() => parseCli(['--bulk-pace', '2.5'])).toThrow(/--bulk-pace/);
  });
});
