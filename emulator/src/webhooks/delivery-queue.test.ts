import { describe, expect, it } from 'vitest';
import { createManualClock } from '../control/clock.ts';
import { createFaults } from '../faults/faults.ts';
import { DeliveryQueue } from './delivery-queue.ts';
import type { Delivery, DeliverySender } from './delivery-types.ts';
import { DELIVERY_TIMEOUT_MS, RETRY_DELAYS_MS } from './retry-schedule.ts';

interface Held {
  uri: string;
  respond(status: number): void;
  fail(err: unknown): void;
}

/**
 * A sender whose requests stay open until the test answers them; it counts how many are open at
 * once and lets the test wait (without polling or sleeping) until a number of them are open.
 */
function heldSender() {
  const open: Held[] = [];
  const started: string[] = [];
  let maxOpen = 0;
  const waiters: { count: number; resolve(): void }[] = [];
  const sender: DeliverySender = (uri) =>
    new Promise<number>((resolve, reject) => {
      const close = (): void => void open.splice(open.indexOf(held), 1);
      const held: Held = {
        uri,
        respond: (status) => (close(), resolve(status)),
        fail: (err) => (close(), reject(err)),
      };
      open.push(held);
      started.push(uri);
      maxOpen = Math.max(maxOpen, open.length);
      for (const w of waiters.filter((x) => open.length >= x.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  return {
    sender,
    open,
    started,
    maxOpen: () => maxOpen,
    /** Resolves once `count` requests are open at the same time. */
    whenOpen: (count: number) =>
      open.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    /** Answers every open request with `status`. */
    respondAll: (status = 200) => [...open].forEach((h) => h.respond(status)),
  };
}

/** A sender that answers at once, by URI. */
function answeringSender(answer: (uri: string) => number | Error) {
  const calls: string[] = [];
  const sender: DeliverySender = (uri) => {
    calls.push(uri);
    const a = answer(uri);
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  };
  return { sender, calls };
}

function queueWorld(sender: DeliverySender, opts: { concurrency: number; seed?: number }) {
  const clock = createManualClock();
  const faults = createFaults(opts.seed ?? 3);
  const exhausted: number[] = [];
  let concurrency = opts.concurrency;
  const queue = new DeliveryQueue({
    clock,
    faults,
    sender,
    timeScale: () => 1,
    concurrency: () => concurrency,
    onExhausted: (d) => (exhausted.push(d.seq), true),
    realNow: () => 0,
  });
  let seq = 0;
  const add = (path: string): Delivery => {
    seq++;
    const d: Delivery = {
      seq,
      webhookId: `w-${seq}`,
      eventId: `e-${seq}`,
      shop: 'q.myshopify.com',
      appKey: 'app',
      subscriptionId: seq,
      topic: 'products/update',
      apiVersion: '2026-04',
      uri: `https://app.test/${path}`,
      triggeredAt: clock.now().toISOString(),
      headers: {},
      body: '{}',
      state: 'pending',
      attempts: [],
      nextAttemptAt: clock.nowMs(),
      duplicateOf: null,
      subscriptionRemoved: false,
    };
    queue.add(d);
    return d;
  };
  const addMany = (n: number): Delivery[] => Array.from({ length: n }, (_, i) => add(`d${i + 1}`));
  return {
    clock,
    faults,
    queue,
    add,
    addMany,
    exhausted,
    setConcurrency: (n: number) => void (concurrency = n),
  };
}

const uris = (n: number) => Array.from({ length: n }, (_, i) => `https://app.test/d${i + 1}`);

/** Lets pending promise callbacks run (one macrotask turn, no timer). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('DeliveryQueue concurrency', () => {
  it('keeps up to N deliveries in flight, never more, and refills a slot as soon as one finishes', async () => {
    const s = heldSender();
    const w = queueWorld(s.sender, { concurrency: 3 });
    const ds = w.addMany(10);
    const drained = w.queue.drain();
    await s.whenOpen(3);
    expect(s.started).toEqual(uris(3));
    s.open[1]!.respond(200); // the second finishes first: its slot goes to the fourth at once
    await s.whenOpen(3);
    expect(s.started).toEqual(uris(4));
    expect(s.open.map((h) => h.uri)).toEqual([uris(4)[0], uris(4)[2], uris(4)[3]]);
    while (s.started.length < 10) {
      const waiting = Math.min(3, 10 - s.started.length + s.open.length);
      await s.whenOpen(waiting);
      s.open[0]!.respond(200);
    }
    s.respondAll();
    expect(await drained).toBe(10);
    expect(s.maxOpen()).toBe(3);
    expect(s.started).toEqual(uris(10));
    expect(ds.map((d) => [d.state, d.attempts.length])).toEqual(ds.map(() => ['delivered', 1]));
  });

  it('with a concurrency of 1 it is strictly serial', async () => {
    const s = heldSender();
    const w = queueWorld(s.sender, { concurrency: 1 });
    w.addMany(5);
    const drained = w.queue.drain();
    for (let i = 1; i <= 5; i++) {
      await s.whenOpen(1);
      await settle();
      expect(s.started).toEqual(uris(i));
      s.respondAll();
    }
    expect(await drained).toBe(5);
    expect(s.maxOpen()).toBe(1);
  });

  it('never opens more slots than there are due deliveries', async () => {
    const s = heldSender();
    const w = queueWorld(s.sender, { concurrency: 8 });
    w.addMany(2);
    const drained = w.queue.drain();
    await s.whenOpen(2);
    s.respondAll();
    expect(await drained).toBe(2);
    expect(s.maxOpen()).toBe(2);
  });

  it('drain resolves with the attempt count only when every attempt of the pass has finished; a second drain waits for it', async () => {
    const s = heldSender();
    const w = queueWorld(s.sender, { concurrency: 4 });
    const ds = w.addMany(3);
    let result: number | null = null;
    const first = w.queue.drain().then((n) => (result = n));
    await s.whenOpen(3);
    const second = w.queue.drain();
    s.open[2]!.respond(200);
    s.open[0]!.respond(500);
    await settle();
    expect(result).toBeNull();
    s.respondAll();
    await first;
    expect(result).toBe(3);
    expect(await second).toBe(0);
    expect(s.started).toEqual(uris(3));
    expect(ds.map((d) => d.state)).toEqual(['pending', 'delivered', 'delivered']);
  });

  it('a delivery that comes due while another is in flight goes out at once, not after the slow one', async () => {
    const s = heldSender();
    const w = queueWorld(s.sender, { concurrency: 4 });
    const [slow] = w.addMany(1);
    const first = w.queue.drain();
    await s.whenOpen(1);
    const late = w.add('late');
    const second = w.queue.drain();
    await s.whenOpen(2); // sent while the first is still open
    expect(s.started).toEqual([...uris(1), 'https://app.test/late']);
    s.respondAll();
    expect([await first, await second]).toEqual([1, 1]);
    expect([slow?.state, late.state]).toEqual(['delivered', 'delivered']);
  });

  it('a failing delivery among concurrent ones is retried on the schedule until its subscription is removed', async () => {
    const { sender, calls } = answeringSender((uri) =>
      uri.endsWith('/fails')
        ? 500
        : uri.endsWith('/hangs')
          ? Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })
          : 200,
    );
    const w = queueWorld(sender, { concurrency: 3 });
    const a = w.add('a');
    const fails = w.add('fails');
    const b = w.add('b');
    const hangs = w.add('hangs');
    const c = w.add('c');
    expect(await w.queue.drain()).toBe(5);
    expect([a, b, c].map((d) => d.state)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(fails.attempts[0]).toMatchObject({ status: 500, error: null });
    expect(hangs.attempts[0]).toMatchObject({
      status: null,
      error: `timed out after ${DELIVERY_TIMEOUT_MS} ms`,
    });
    for (const [i, delay] of RETRY_DELAYS_MS.entries()) {
      expect([fails.nextAttemptAt, hangs.nextAttemptAt]).toEqual([
        w.clock.nowMs() + delay,
        w.clock.nowMs() + delay,
      ]);
      w.clock.advance(delay - 1);
      expect(await w.queue.drain()).toBe(0);
      w.clock.advance(1);
      expect(await w.queue.drain()).toBe(2);
      expect([fails.attempts.length, hangs.attempts.length]).toEqual([i + 2, i + 2]);
    }
    expect([fails.state, hangs.state]).toEqual(['failed', 'failed']);
    expect([fails.subscriptionRemoved, hangs.subscriptionRemoved]).toEqual([true, true]);
    expect(w.exhausted.sort()).toEqual([fails.seq, hangs.seq].sort());
    expect(calls.filter((u) => !u.endsWith('/fails') && !u.endsWith('/hangs'))).toHaveLength(3);
    w.clock.advance(24 * 3600 * 1000);
    expect(await w.queue.drain()).toBe(0);
  });

  it('the reorder fault draws the same seeded send order whatever the concurrency', async () => {
    const order = async (concurrency: number): Promise<string[]> => {
      const { sender, calls } = answeringSender(() => 200);
      const w = queueWorld(sender, { concurrency, seed: 11 });
      w.faults.set({ webhookReorderRate: 1 });
      w.addMany(8);
      expect(await w.queue.drain()).toBe(8);
      return calls;
    };
    const serial = await order(1);
    expect([...serial].sort()).toEqual([...uris(8)].sort());
    expect(serial).not.toEqual(uris(8));
    expect(await order(1)).toEqual(serial);
    expect(await order(4)).toEqual(serial);
  });

  it('reads the concurrency at the start of each pass', async () => {
    const s = heldSender();
    const w = queueWorld(s.sender, { concurrency: 2 });
    w.addMany(4);
    let drained = w.queue.drain();
    await s.whenOpen(2);
    w.setConcurrency(4);
    s.respondAll();
    await s.whenOpen(2);
    s.respondAll();
    expect(await drained).toBe(4);
    expect(s.maxOpen()).toBe(2);
    w.addMany(4);
    drained = w.queue.drain();
    await s.whenOpen(4);
    s.respondAll();
    expect(await drained).toBe(4);
    expect(s.maxOpen()).toBe(4);
  });
});
