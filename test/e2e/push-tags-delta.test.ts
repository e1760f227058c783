// A tag edited on Shopify while our push is between its read and its write survives the push. customerSet's
// and orderUpdate's `tags` replace Shopify's whole list, and no customers/update delivery carries tags
// (since 2025-01), so a tag a merchant added on Shopify in that window was written over and never came
// back (issue 16, chaos CI step seed 5, op 111). The push now sends a tag change as tagsRemove / tagsAdd,
// in the request that sends the record's other fields, and the last answer is the base.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  duringShopifyCall as during,
  expectOk,
  mutationsOf,
  pushOnly,
  startSyncHarness,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'push-tags-delta.myshopify.com';

interface Tagged {
  id: string;
  tags: string[];
  note: string;
  version: number;
}
interface EmuTagged {
  id: number;
  email?: string | null;
  name?: string;
  tags: string[];
  note: string | null;
}

let h: SyncHarness;
const used = { customers: 0, orders: 0 };

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '53', '--products', '2', '--customers', '6', '--orders', '4']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const emu = (path: string) => `/shops/${SHOP}${path}`;

/** A customer (by email) or an order (by name) no other test uses, on both sides. */
async function pair(kind: 'customers' | 'orders'): Promise<{ remote: EmuTagged; mine: Tagged }> {
  const all =
    (await h.emu.control<Record<string, EmuTagged[]>>('GET', emu(`/${kind}?limit=250`)))[kind] ?? [];
  const usable = kind === 'customers' ? all.filter((c) => c.email) : all;
  const remote = usable[used[kind]++];
  if (!remote) throw new Error(`out of ${kind}`);
  const res = await h.api<{ items: (Tagged & { email?: string | null; name?: string })[] }>(
    'GET',
    kind === 'customers'
      ? `/api/customers?email=${encodeURIComponent(remote.email ?? '')}`
      : '/api/orders?limit=200',
  );
  expectOk(res);
  const mine = res.body.items.find((x) => (kind === 'customers' ? true : x.name === remote.name));
  if (!mine) throw new Error(`no local record for ${kind} ${remote.id}`);
  return { remote, mine };
}

const remoteOf = (kind: string, id: number) => h.emu.control<EmuTagged>('GET', emu(`/${kind}/${id}`));
const localOf = async (kind: string, id: string) => (await h.api<Tagged>('GET', `/api/${kind}/${id}`)).body;

/** Retailos's edit pushed while Shopify's edit `meanwhile` lands after the push's read (`read`), before its write. */
async function pushRacing(read: string, meanwhile: () => Promise<unknown>): Promise<number> {
  const since = await h.lastCall();
  const race = during(read, async () => {
    await meanwhile();
  });
  try {
    await pushOnly(h);
  } finally {
    race.restore();
  }
  expect(race.raced()).toBe(true);
  return since;
}

describe.each([
  ['customers', 'CustomerForSync', ['customerSet', 'tagsAdd']],
  ['orders', 'OrderForSync', ['orderUpdate', 'tagsAdd']],
] as const)('%s: a tag change pushed as deltas', (kind, read, sent) => {
  it('a tag added on Shopify after the push read stays, beside the tag and the note the push carries', async () => {
    const { remote, mine } = await pair(kind);
    expectOk(
      await h.api('PATCH', `/api/${kind}/${mine.id}`, {
        tags: [...mine.tags, 'from-retailos'],
        note: 'Retailos note',
        version: mine.version,
      }),
    );
    const since = await pushRacing(read, () =>
      h.emu.control('PATCH', emu(`/${kind}/${remote.id}`), { tags: [...remote.tags, 'from-shopify'] }),
    );
    const calls = await h.calls(since);
    await h.settle();
    for (const side of [await remoteOf(kind, remote.id), await localOf(kind, mine.id)]) {
      expect(side.tags).toEqual(expect.arrayContaining(['from-retailos', 'from-shopify']));
      expect(side.note).toBe('Retailos note');
    }
    expect((await localOf(kind, mine.id)).tags).toEqual((await remoteOf(kind, remote.id)).tags);
    // One request: the other fields, then the tag added (no list sent whole).
    expect(calls.filter((c) => c.operationType === 'mutation').map((c) => c.rootFields)).toEqual([sent]);
  });

  it('the tag added on Shopify during the push, removed there afterwards, goes on both sides', async () => {
    const { remote, mine } = await pair(kind);
    expectOk(
      await h.api('PATCH', `/api/${kind}/${mine.id}`, {
        tags: [...mine.tags, 'pushed-tag'],
        version: mine.version,
      }),
    );
    await pushRacing(read, () =>
      h.emu.control('PATCH', emu(`/${kind}/${remote.id}`), { tags: [...remote.tags, 'brief-tag'] }),
    );
    await h.settle();
    expect((await localOf(kind, mine.id)).tags).toContain('brief-tag');
    // Shopify now holds exactly what the push merged and sent (its answer held the tag as well): that
    // is the merchant's edit, not the push's echo.
    const theirs = await remoteOf(kind, remote.id);
    await h.emu.control('PATCH', emu(`/${kind}/${remote.id}`), {
      tags: theirs.tags.filter((t) => t !== 'brief-tag'),
    });
    await h.settle();
    for (const side of [await remoteOf(kind, remote.id), await localOf(kind, mine.id)]) {
      expect(side.tags).toContain('pushed-tag');
      expect(side.tags).not.toContain('brief-tag');
    }
  });

  it('a tag removed in Retailos goes, and a tag added on Shopify meanwhile stays', async () => {
    const { remote, mine } = await pair(kind);
    // A tag of ours to remove: put on both sides first.
    expectOk(
      await h.api('PATCH', `/api/${kind}/${mine.id}`, {
        tags: [...mine.tags, 'old-tag'],
        version: mine.version,
      }),
    );
    await h.settle();
    const now = await localOf(kind, mine.id);
    expect((await remoteOf(kind, remote.id)).tags).toContain('old-tag');
    expectOk(
      await h.api('PATCH', `/api/${kind}/${mine.id}`, {
        tags: now.tags.filter((t) => t !== 'old-tag'),
        version: now.version,
      }),
    );
    const since = await pushRacing(read, async () => {
      const theirs = await remoteOf(kind, remote.id);
      await h.emu.control('PATCH', emu(`/${kind}/${remote.id}`), { tags: [...theirs.tags, 'shopify-new'] });
    });
    const calls = await h.calls(since);
    await h.settle();
    for (const side of [await remoteOf(kind, remote.id), await localOf(kind, mine.id)]) {
      expect(side.tags).toContain('shopify-new');
      expect(side.tags).not.toContain('old-tag');
    }
    expect(mutationsOf(calls)).toEqual(['tagsRemove']);
  });
});
