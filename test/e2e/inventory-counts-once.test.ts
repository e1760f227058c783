import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyInbox } from '../../src/sync/continuous/apply-inbox.ts';
import { pushEntity } from '../../src/sync/continuous/push.ts';
import { expectOk, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

/**
 * Concurrent sales on both sides both count, once: whatever order the pushes, their compare-and-set
 * answers, their echoes and Shopify's own webhooks arrive in (duplicated, reordered), every level
 * ends with Retailos = Shopify = start + the sum of every sale, and the ledger says the same.
 */

const SHOP = 'inventory-counts-once.myshopify.com';
const LEVELS = 3;
const START = 100;

interface Level {
  sku: string;
  emuLocation: number;
  id: string;
  variantId: string;
  locationId: string;
}

/** What happens while one push of a level is on its way to Shopify. */
const HOOKS = [
  'none',
  // Our change's webhook is delivered and applied before the push writes its outcome back.
  'echo-before-write-back',
  // Shopify sells after our read of the base, before our compare-and-set: it is stale.
  'shopify-sale-before-send',
  // Shopify sells right after our change; both webhooks arrive before our write-back.
  'shopify-sale-in-flight',
  // The merchant sells in Retailos while the push is out.
  'local-sale-in-flight',
  // A second push job of the same level runs while the first one is out.
  'second-push',
  // Shopify applied our change but its answer never reached us (the job retries later).
  'answer-lost',
  // The same, on the job's last attempt: a dead letter, replayed at the end.
  'answer-lost-dead-letter',
] as const;
type Hook = (typeof HOOKS)[number];

type Action =
  | { kind: 'retailos'; level: number; delta: number }
  | { kind: 'shopify'; level: number; delta: number }
  | { kind: 'push'; level: number; hook: Hook; delta: number }
  | { kind: 'deliver' }
  | { kind: 'settle' };

const delta = fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0);
const level = fc.integer({ min: 0, max: LEVELS - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('retailos' as const), level, delta }),
  fc.record({ kind: fc.constant('shopify' as const), level, delta }),
  fc.record({ kind: fc.constant('push' as const), level, hook: fc.constantFrom(...HOOKS), delta }),
  fc.record({ kind: fc.constant('deliver' as const) }),
  fc.record({ kind: fc.constant('settle' as const) }),
);
const faults = fc.record({
  webhookDuplicateRate: fc.constantFrom(0, 0.5),
  webhookReorderRate: fc.constantFrom(0, 0.7),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

let h: SyncHarness;
let levels: Level[];
/** Runs around the next stock push's call to Shopify (one push only), see `hooked`. */
let pushHook: { before?: () => Promise<void>; after?: () => Promise<void>; lose?: boolean } | null = null;
const realFetch = globalThis.fetch;

/** Retailos calls Shopify through fetch: the test steps in around one stock push, as timing would. */
async function hooked(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> {
  const hook = typeof init?.body === 'string' && init.body.includes('PushStock') ? pushHook : null;
  if (!hook) return realFetch(input, init);
  pushHook = null;
  await hook.before?.();
  const res = await realFetch(input, init);
  const body = await res.text();
  await hook.after?.();
  if (hook.lose) throw new TypeError('fetch failed: the connection was reset');
  return new Response(body, { status: res.status, headers: res.headers });
}

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '77', '--products', '4', '--customers', '1', '--orders', '0']);
  levels = await pickLevels(LEVELS);
  vi.stubGlobal('fetch', hooked);
}, 240_000);
afterAll(async () => {
  vi.unstubAllGlobals();
  await h?.close();
});

interface EmuProduct {
  variants: { sku: string | null; inventory: { locationId: number; available: number; onHand: number }[] }[];
}

async function pickLevels(n: number): Promise<Level[]> {
  const { products } = await h.emu.control<{ products: EmuProduct[] }>(
    'GET',
    `/shops/${SHOP}/products?limit=250`,
  );
  const shop = await h.emu.control<{ locations: { id: number; name: string }[] }>('GET', `/shops/${SHOP}`);
  const locals = await h.api<{ items: { id: string; name: string }[] }>('GET', '/api/locations');
  expectOk(locals);
  const pairs = products
    .flatMap((p) =>
      p.variants.flatMap((v) => v.inventory.map((i) => ({ sku: v.sku, emuLocation: i.locationId }))),
    )
    .filter((p): p is { sku: string; emuLocation: number } => p.sku !== null)
    .slice(0, n);
  expect(pairs).toHaveLength(n);
  return Promise.all(
    pairs.map(async (p) => {
      const name = shop.locations.find((l) => l.id === p.emuLocation)?.name;
      const locationId = locals.body.items.find((l) => l.name === name)?.id as string;
      const res = await h.api<{ items: { id: string; variant_id: string }[] }>(
        'GET',
        `/api/inventory?sku=${encodeURIComponent(p.sku)}&location_id=${locationId}`,
      );
      expectOk(res);
      const row = res.body.items[0] as { id: string; variant_id: string };
      return { ...p, id: row.id, variantId: row.variant_id, locationId };
    }),
  );
}

async function shopifySide(l: Level): Promise<{ available: number; onHand: number }> {
  const { products } = await h.emu.control<{ products: EmuProduct[] }>(
    'GET',
    `/shops/${SHOP}/products?limit=250`,
  );
  const at = products
    .flatMap((p) => p.variants)
    .find((v) => v.sku === l.sku)
    ?.inventory.find((i) => i.locationId === l.emuLocation);
  if (!at) throw new Error(`no Shopify level for ${l.sku}`);
  return { available: at.available, onHand: at.onHand };
}

async function retailosSide(
  l: Level,
): Promise<{ available: number; onHand: number; ledger: number; ledgerOnHand: number }> {
  const { rows } = await h.t.db.query<{
    available: number;
    on_hand: number;
    ledger: string;
    ledger_on_hand: string;
  }>(
    // The ledger: the level's opening stock (the import's, decision 0007) plus every adjustment since.
    `select l.available, l.on_hand,
       l.opening_available + (select coalesce(sum(a.delta_available), 0) from inventory_adjustments a
         where a.tenant_id = l.tenant_id and a.variant_id = l.variant_id and a.location_id = l.location_id) as ledger,
       l.opening_on_hand + (select coalesce(sum(a.delta_on_hand), 0) from inventory_adjustments a
         where a.tenant_id = l.tenant_id and a.variant_id = l.variant_id and a.location_id = l.location_id) as ledger_on_hand
     from inventory_levels l where l.tenant_id = $1 and l.id = $2`,
    [h.t.a.tenantId, l.id],
  );
  const r = rows[0];
  if (!r) throw new Error(`no Retailos level ${l.id}`);
  return {
    available: r.available,
    onHand: r.on_hand,
    ledger: Number(r.ledger),
    ledgerOnHand: Number(r.ledger_on_hand),
  };
}

const shopifySale = (l: Level, d: number) =>
  h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, {
    sku: l.sku,
    locationId: l.emuLocation,
    delta: d,
  });

async function retailosSale(l: Level, d: number): Promise<void> {
  expectOk(
    await h.api('POST', '/api/inventory/adjust', {
      variant_id: l.variantId,
      location_id: l.locationId,
      delta: d,
      reason: 'sale',
    }),
  );
}

/** Shopify delivers what is due (with the run's webhook faults), Retailos applies its inbox. */
async function deliver(): Promise<void> {
  await h.emu.control('POST', '/webhooks/drain');
  await applyInbox(h.t.deps, h.t.a.tenantId);
}

const push = (l: Level, last = false) =>
  pushEntity(
    h.t.deps,
    { tenantId: h.t.a.tenantId, entity: 'inventory_level', localId: l.id },
    { retryCount: last ? 3 : 0, retryLimit: 3 },
  );

/** Runs one action; returns the sales it made, per level index. */
async function run(a: Action, retries: Set<number>): Promise<{ level: number; delta: number }[]> {
  if (a.kind === 'deliver') return deliver().then(() => []);
  if (a.kind === 'settle') return h.settle().then(() => []);
  const l = levels[a.level] as Level;
  if (a.kind === 'retailos') return retailosSale(l, a.delta).then(() => [a]);
  if (a.kind === 'shopify') return shopifySale(l, a.delta).then(() => [a]);
  const sales: { level: number; delta: number }[] = [];
  const sell = (side: 'shopify' | 'retailos') => async () => {
    await (side === 'shopify' ? shopifySale(l, a.delta) : retailosSale(l, a.delta));
    sales.push({ level: a.level, delta: a.delta });
  };
  const hooks: Record<Hook, typeof pushHook> = {
    none: null,
    'echo-before-write-back': { after: deliver },
    'shopify-sale-before-send': { before: sell('shopify') },
    'shopify-sale-in-flight': { after: async () => (await sell('shopify')(), await deliver()) },
    'local-sale-in-flight': { after: sell('retailos') },
    'second-push': { after: () => push(l).then(() => undefined) },
    'answer-lost': { after: deliver, lose: true },
    'answer-lost-dead-letter': { after: deliver, lose: true },
  };
  pushHook = hooks[a.hook];
  const last = a.hook === 'answer-lost-dead-letter';
  try {
    await push(l, last);
  } catch (err) {
    // Only a lost answer fails the attempt; the queue would retry it.
    if (a.hook !== 'answer-lost') throw err;
    retries.add(a.level);
  } finally {
    pushHook = null;
  }
  return sales;
}

/** Both sides back at START and agreed on, before a run. */
async function reset(): Promise<void> {
  for (const l of levels)
    await h.emu.control('POST', `/shops/${SHOP}/inventory/set`, {
      sku: l.sku,
      locationId: l.emuLocation,
      quantity: START,
    });
  await h.settle();
  for (const l of levels) expect((await retailosSide(l)).available, l.sku).toBe(START);
}

describe('inventory counts every sale once', () => {
  it('concurrent sales on both sides, pushes, echoes and Shopify webhooks in any order: Retailos = Shopify = start + Σ deltas, and the ledger agrees', async () => {
    await fc.assert(
      fc.asyncProperty(faults, fc.array(action, { minLength: 4, maxLength: 14 }), async (fault, actions) => {
        await reset();
        await h.emu.control('POST', '/faults', fault);
        const sums = levels.map(() => 0);
        const retries = new Set<number>();
        try {
          for (const a of actions)
            for (const s of await run(a, retries)) sums[s.level] = (sums[s.level] ?? 0) + s.delta;
        } finally {
          await h.emu.control('DELETE', '/faults');
        }
        // Everything drains: the queue retries the attempts that lost their answer, the merchant
        // replays the dead letters, webhooks and jobs run until nothing moves.
        await h.settle();
        for (const i of retries) await push(levels[i] as Level, false);
        const replay = await h.api('POST', '/api/shopify/dead-letters/replay', {});
        expect(replay.status, JSON.stringify(replay.body)).toBeLessThan(300);
        h.t.clock.advance(60_000);
        await h.settle();
        for (const [i, l] of levels.entries()) {
          const expected = START + (sums[i] as number);
          const shopify = await shopifySide(l);
          const retailos = await retailosSide(l);
          expect({
            level: l.sku,
            shopify: shopify.available,
            retailos: retailos.available,
            ledger: retailos.ledger,
          }).toEqual({ level: l.sku, shopify: expected, retailos: expected, ledger: expected });
          expect({ level: l.sku, retailos: retailos.onHand, ledger: retailos.ledgerOnHand }).toEqual({
            level: l.sku,
            retailos: shopify.onHand,
            ledger: shopify.onHand,
          });
        }
      }),
      { numRuns: 16, endOnFailure: true },
    );
  }, 600_000);

  it("a push whose answer was lost and whose dead letter is discarded holds back none of Shopify's sales, and counts once", async () => {
    await reset();
    const l = levels[0] as Level;
    await retailosSale(l, -2);
    pushHook = { lose: true };
    expect(await push(l, true)).toBe('dead');
    // Shopify applied our change (its answer was lost), then sells 3 itself.
    expect((await shopifySide(l)).available).toBe(START - 2);
    await shopifySale(l, -3);
    await h.settle();
    // Its delivery waits: Shopify's 95 may or may not include our change.
    expect((await retailosSide(l)).available).toBe(START - 2);
    const letters = await h.api<{ items: { id: number; local_id: string | null }[] }>(
      'GET',
      '/api/shopify/dead-letters?state=open&entity=inventory_level',
    );
    expectOk(letters);
    const letter = letters.body.items.find((x) => x.local_id === l.id);
    expectOk(await h.api('POST', `/api/shopify/dead-letters/${String(letter?.id)}/discard`, {}));
    // The apply job's minute run finds the push pending for long and queues a push of the level: it
    // sends the change again with its key, Shopify answers what it did, and the delivery is applied.
    h.t.clock.advance(11 * 60_000);
    await deliver();
    await h.settle();
    const retailos = await retailosSide(l);
    const shopify = await shopifySide(l);
    expect({ shopify: shopify.available, retailos: retailos.available, ledger: retailos.ledger }).toEqual({
      shopify: START - 5,
      retailos: START - 5,
      ledger: START - 5,
    });
  });
});
