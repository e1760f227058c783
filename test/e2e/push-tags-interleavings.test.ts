// Tag edits on both sides interleaved with one push (before it, while its read is answered, while its
// write is answered): every tag edit not superseded by a later edit of the same tag is on both sides once
// everything settles. A push sends a tag change as tagsRemove / tagsAdd (tag-writes.ts), so a Shopify
// edit made between its read and its write is not written over (issue 16, chaos seed 5, op 111).
//
// A tag edited on both sides is edited once on each: two edits on one side against one on the other
// (Shopify removes and adds back a tag Retailos removed meanwhile) leave a state-based three-way merge
// nothing to tell the later one by, with or without deltas; that is not what this property is about.
// The runs edit the same four tags, so a run may bring Shopify back to exactly a state an earlier run's
// push wrote: a push that met a Retailos edit while it ran keeps its echo note (sync-entity.ts,
// setAncestorBase), and such a state, made later on Shopify, must not be taken for that echo (migration
// 0047: the note stands for its write as of Shopify's time of it). Shopify's times have second
// precision, so the emulator's clock moves on between runs, as a merchant's edits would.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  duringShopifyCall as during,
  expectOk,
  pushOnly,
  startSyncHarness,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'push-tags-interleavings.myshopify.com';
const TAGS = ['t0', 't1', 't2', 't3'] as const;
const PHASES = ['before', 'read', 'write'] as const;

type Side = 'shopify' | 'retailos';
interface Op {
  side: Side;
  tag: (typeof TAGS)[number];
  at: (typeof PHASES)[number];
}
interface Tagged {
  id: string;
  tags: string[];
  version: number;
}
interface EmuTagged {
  id: number;
  email?: string | null;
  name?: string;
  tags: string[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '59', '--products', '2', '--customers', '3', '--orders', '3']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const emu = (path: string) => `/shops/${SHOP}${path}`;

/** Each tag edited by one side only, or once by each side. */
const fair = (ops: readonly Op[]): boolean =>
  TAGS.every((t) => {
    const by = (side: Side) => ops.filter((o) => o.tag === t && o.side === side).length;
    return by('shopify') === 0 || by('retailos') === 0 || (by('shopify') === 1 && by('retailos') === 1);
  });

const opsArb = fc
  .array(
    fc.record({
      side: fc.constantFrom<Side>('shopify', 'retailos'),
      tag: fc.constantFrom(...TAGS),
      at: fc.constantFrom(...PHASES),
    }),
    { minLength: 1, maxLength: 7 },
  )
  .filter(fair);

describe.each([
  ['customers', 'CustomerForSync', 'PushCustomer'],
  ['orders', 'OrderForSync', 'PushOrder'],
] as const)('%s: tag edits around one push', (kind, read, write) => {
  let pair: { remote: EmuTagged; mine: Tagged } | undefined;
  /** Runs whose push was met while its read was answered (a run with nothing to push has no read). */
  let raced = 0;

  async function thePair(): Promise<{ remote: EmuTagged; mine: Tagged }> {
    if (pair) return pair;
    const all =
      (await h.emu.control<Record<string, EmuTagged[]>>('GET', emu(`/${kind}?limit=250`)))[kind] ?? [];
    const remote = kind === 'customers' ? all.find((c) => c.email) : all[0];
    if (!remote) throw new Error(`no ${kind}`);
    const res = await h.api<{ items: (Tagged & { name?: string })[] }>(
      'GET',
      kind === 'customers'
        ? `/api/customers?email=${encodeURIComponent(remote.email ?? '')}`
        : '/api/orders?limit=200',
    );
    expectOk(res);
    const mine = res.body.items.find((x) => kind === 'customers' || x.name === remote.name);
    if (!mine) throw new Error(`no local record for ${kind} ${remote.id}`);
    pair = { remote, mine };
    return pair;
  }

  const shopifyTags = async (id: number) =>
    (await h.emu.control<EmuTagged>('GET', emu(`/${kind}/${id}`))).tags;
  const retailos = async (id: string) => (await h.api<Tagged>('GET', `/api/${kind}/${id}`)).body;

  it('every tag edit not superseded by a later edit of that tag is on both sides after settling', async () => {
    const { remote, mine } = await thePair();
    await fc.assert(
      fc.asyncProperty(opsArb, async (generated) => {
        // Time passes between runs: Retailos's clock (a test clock, which the shop's cost budget refills
        // by) moves on, so a run's push is not refused for points the runs before it spent. A push
        // refused five times waits for the job's retry, which settling does not wait for.
        h.t.clock.advance(60_000);
        await h.emu.control('POST', '/clock/advance', { seconds: 2 });
        await h.settle();
        const start = await shopifyTags(remote.id);
        expect((await retailos(mine.id)).tags).toEqual(start);
        // Time order: the phases in turn, each in the order generated.
        const ops = PHASES.flatMap((at) => generated.filter((o) => o.at === at));
        const last = new Map<string, boolean>();
        const apply = async ({ side, tag: t }: Op): Promise<void> => {
          const op = { side, tag: t };
          if (op.side === 'shopify') {
            const tags = await shopifyTags(remote.id);
            const next = tags.includes(op.tag) ? tags.filter((t) => t !== op.tag) : [...tags, op.tag];
            await h.emu.control('PATCH', emu(`/${kind}/${remote.id}`), { tags: next });
            last.set(op.tag, next.includes(op.tag));
          } else {
            const now = await retailos(mine.id);
            const next = now.tags.includes(op.tag)
              ? now.tags.filter((t) => t !== op.tag)
              : [...now.tags, op.tag];
            expectOk(await h.api('PATCH', `/api/${kind}/${mine.id}`, { tags: next, version: now.version }));
            last.set(op.tag, next.includes(op.tag));
          }
        };
        const done = new Set<Op>();
        const phase = (at: Op['at']) => async () => {
          for (const op of ops.filter((o) => o.at === at && !done.has(o))) {
            done.add(op);
            await apply(op);
          }
        };
        await phase('before')();
        // While the push's read is answered (after Shopify read), then while its write is answered.
        const racedRead = during(read, phase('read'));
        const racedWrite = during(write, async () => {
          await phase('read')(); // a push that wrote without reading first: the read's edits come first
          await phase('write')();
        });
        try {
          await pushOnly(h);
        } finally {
          racedWrite.restore();
          racedRead.restore();
        }
        if (racedRead.raced()) raced += 1;
        // A push that made no call (nothing to carry): those edits come after it, in order.
        await phase('read')();
        await phase('write')();
        await h.settle();

        const expected = [
          ...start.filter((t) => !last.has(t)),
          ...[...last].flatMap(([t, on]) => (on ? [t] : [])),
        ].sort();
        expect([...(await shopifyTags(remote.id))].sort()).toEqual(expected);
        expect([...(await retailos(mine.id)).tags].sort()).toEqual(expected);
      }),
      { numRuns: 20 },
    );
    expect(raced).toBeGreaterThan(0);
  }, 600_000);
});
