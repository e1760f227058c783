import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_CONCURRENCY } from '../src/index.ts';
import { emulatorWorld } from './support/emulator-world.ts';
import { startHoldingReceiver, type HoldingReceiver } from './support/holding-receiver.ts';
import { at, json, post } from './support/http.ts';

let w: Awaited<ReturnType<typeof emulatorWorld>>;
let receiver: HoldingReceiver;
let round = 0;

beforeAll(async () => {
  w = await emulatorWorld('hooks-concurrency', { webhookConcurrency: 3 });
  receiver = await startHoldingReceiver();
  for (const path of ['a', 'b', 'c']) w.subscribe('products/update', `${receiver.url}/${path}`);
});
afterAll(async () => {
  await w.running.close();
  await receiver.close();
});

/** Renames every product (3 products × 3 subscriptions = 9 deliveries), drains, and answers the held requests round by round. */
async function deliverHeld(limit: number): Promise<{ attempted: unknown; rounds: number[] }> {
  round++;
  receiver.resetCounts();
  for (const p of w.shop.products.values())
    await json(`${w.running.url}/_emulator/shops/${w.domain}/products/${p.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: `Round ${round} ${p.id}` }),
    });
  const drained = w.drain();
  const rounds: number[] = [];
  while (receiver.arrived.length < 9) {
    const expected = Math.min(limit, 9 - receiver.arrived.length + receiver.open);
    await receiver.whenOpen(expected);
    rounds.push(receiver.open);
    receiver.releaseAll();
  }
  return { attempted: at((await drained).body, 'attempted'), rounds };
}

describe('concurrent webhook delivery over HTTP', () => {
  it('keeps up to webhookConcurrency requests open at the receiver, never more', async () => {
    const { attempted, rounds } = await deliverHeld(3);
    expect(attempted).toBe(9);
    expect(rounds).toEqual([3, 3, 3]);
    expect(receiver.maxOpen).toBe(3);
    expect(receiver.arrived).toHaveLength(9);
  });

  it('POST /webhooks/settings {concurrency: 1} makes it serial, in queue order', async () => {
    const set = await post(`${w.running.url}/_emulator/webhooks/settings`, { concurrency: 1 });
    expect(set.body).toEqual({ concurrency: 1 });
    const { attempted, rounds } = await deliverHeld(1);
    expect(attempted).toBe(9);
    expect(rounds).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(receiver.maxOpen).toBe(1);
    const deliveries = at(
      (await json(`${w.running.url}/_emulator/webhooks/deliveries?state=delivered`)).body,
      'deliveries',
    ) as { seq: number; uri: string }[];
    const sent = deliveries
      .slice(-9)
      .sort((a, b) => a.seq - b.seq)
      .map((d) => new URL(d.uri).pathname);
    expect(receiver.arrived).toEqual(sent);
  });

  it('the setting is read back, reported in /info, survives a reset and refuses bad values', async () => {
    const base = `${w.running.url}/_emulator`;
    expect((await post(`${base}/webhooks/settings`, { concurrency: 5 })).body).toEqual({ concurrency: 5 });
    expect((await json(`${base}/webhooks/settings`)).body).toEqual({ concurrency: 5 });
    expect(at((await json(`${base}/info`)).body, 'webhookConcurrency')).toBe(5);
    for (const bad of [{ concurrency: 0 }, { concurrency: 2.5 }, { concurrency: 'many' }, { parallel: 2 }]) {
      const res = await post(`${base}/webhooks/settings`, bad);
      expect(res.status).toBe(422);
      expect(at(res.body, 'error')).toBe('invalid_request');
    }
    await post(`${base}/reset`, {});
    expect((await json(`${base}/webhooks/settings`)).body).toEqual({ concurrency: 5 });
  });

  it('defaults to 8 and refuses a bad programmatic value', async () => {
    expect(DEFAULT_WEBHOOK_CONCURRENCY).toBe(8);
    const other = await emulatorWorld('hooks-concurrency-default');
    try {
      expect(other.running.emulator.settings.webhookConcurrency).toBe(8);
    } finally {
      await other.running.close();
    }
    await expect(emulatorWorld('hooks-concurrency-bad', { webhookConcurrency: 0 })).rejects.toThrow(
      /webhookConcurrency/,
    );
  });
});
