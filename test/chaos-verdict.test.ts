// The chaos run's verdict on one field edited on both sides: a Retailos edit that lost to a Shopify edit
// of the same field made less than a second before it is a tie at Shopify's precision (counted, not
// lost); a second or more apart, it is a lost edit.
import { describe, expect, it } from 'vitest';
import { retailosRef, shopifyRef, type Entry } from '../chaos/ledger.ts';
import type { Fields, Keys, Kind, SideState } from '../chaos/sides.ts';
import { judge } from '../chaos/verdict.ts';

const GID = 'gid://shopify/Customer/7';
const LOCAL = '0190f3c2-0000-7000-8000-000000000007';

const keys: Keys = {
  gids: new Map([[`customer:${LOCAL}`, GID]]),
  key: () => GID,
  ref: (r) => (r.entity === 'customer' ? GID : `gid://shopify/Order/${r.id}`),
  levels: new Map(),
};

function side(note: string): SideState {
  const empty = (): Map<string, Fields> => new Map();
  const s = Object.fromEntries(
    (['product', 'variant', 'inventory_level', 'customer', 'order', 'location'] as Kind[]).map((k) => [
      k,
      empty(),
    ]),
  ) as SideState;
  s.customer.set(GID, { note });
  s.order.set('gid://shopify/Order/9', { note: null });
  return s;
}

function verdict(gapMs: number, held: string) {
  const at = 1_800_000_000_000;
  const entries: Entry[] = [
    { n: 1, at, kind: 'field', ref: shopifyRef('customer', 7), field: 'note', value: 'from Shopify' },
    {
      n: 2,
      at: at + gapMs,
      kind: 'field',
      ref: retailosRef('customer', LOCAL),
      field: 'note',
      value: 'from Retailos',
    },
  ];
  return judge(entries, {
    shopify: side(held),
    retailos: side(held),
    keys,
    startStock: new Map(),
    history: new Map([[`customer|${GID}`, [at + 5_000]]]),
  });
}

describe('the chaos verdict on a field edited on both sides', () => {
  it('keeps the later edit: nothing lost, no tie', () => {
    const v = verdict(400, 'from Retailos');
    expect(v.lost).toEqual([]);
    expect(v.ties).toBe(0);
  });

  it('counts a Retailos edit under a second after Shopify’s, decided for Shopify, as a tie', () => {
    const v = verdict(400, 'from Shopify');
    expect(v.lost).toEqual([]);
    expect(v.ties).toBe(1);
  });

  it('reports the same outcome a second or more apart as a lost edit', () => {
    const v = verdict(1_000, 'from Shopify');
    expect(v.ties).toBe(0);
    expect(v.lost).toHaveLength(1);
    expect(v.lost[0]?.what).toMatch(
      /note edit of customer .* is on neither side .*op 1 note on shopify -1000 ms/,
    );
  });

  it('never counts a Shopify edit lost to Retailos as a tie', () => {
    const at = 1_800_000_000_000;
    const entries: Entry[] = [
      { n: 1, at, kind: 'field', ref: retailosRef('customer', LOCAL), field: 'note', value: 'from Retailos' },
      {
        n: 2,
        at: at + 300,
        kind: 'field',
        ref: shopifyRef('customer', 7),
        field: 'note',
        value: 'from Shopify',
      },
    ];
    const v = judge(entries, {
      shopify: side('from Retailos'),
      retailos: side('from Retailos'),
      keys,
      startStock: new Map(),
      history: new Map([[`customer|${GID}`, [at + 5_000]]]),
    });
    expect(v.ties).toBe(0);
    expect(v.lost).toHaveLength(1);
  });
});

describe('the chaos verdict on a Retailos deletion of a customer', () => {
  const at = 1_800_000_000_000;
  const judged = (entries: Entry[]) =>
    judge(entries, {
      shopify: side('kept'),
      retailos: side('kept'),
      keys,
      startStock: new Map(),
      history: new Map([
        [`customer|${GID}`, [at + 5_000]],
        ['order|gid://shopify/Order/9', [at + 5_000]],
      ]),
    });
  const deletion: Entry = { n: 1, at, kind: 'delete', ref: retailosRef('customer', LOCAL) };

  it('is lost when the customer is still there with no order placed for them on Shopify', () => {
    const v = judged([deletion]);
    expect(v.lost.map((f) => f.what)).toEqual([expect.stringMatching(/delete of customer .* still there/)]);
    expect(v.keptByShopify).toBe(0);
  });

  it('was refused by Shopify when an order placed there names the customer: counted, not lost', () => {
    const order: Entry = {
      n: 2,
      at: at + 100,
      kind: 'create',
      ref: shopifyRef('order', 9),
      customer: shopifyRef('customer', 7),
    };
    const v = judged([deletion, order]);
    expect(v.lost).toEqual([]);
    expect(v.keptByShopify).toBe(1);
  });
});
