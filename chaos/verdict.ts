// The chaos run's verdict: both sides compared field by field, every edit of the ledger accounted for
// (kept, superseded by a later edit or a deletion, or lost), every stock level checked against start +
// Σ deltas, and every synced change looked for in Sync History.
import type { Entry, Ref } from './ledger.ts';
import { gidOf, type Fields, type Keys, type Kind, type SideState } from './sides.ts';

export interface Divergence {
  kind: Kind;
  key: string;
  field: string;
  shopify: unknown;
  retailos: unknown;
}

export interface Finding {
  n: number;
  what: string;
}

export interface Verdict {
  diverged: Divergence[];
  /** Records with at least one divergence. */
  divergedRecords: number;
  /** Edits whose value is on neither side and that nothing later superseded. */
  lost: Finding[];
  /** Stock levels whose final quantity is not start + Σ deltas. */
  stockOff: Finding[];
  /** Synced changes with no Sync History entry after them. */
  unrecorded: Finding[];
  /** Edits a later edit of the same field or a deletion superseded. */
  superseded: number;
  /**
   * Retailos edits made less than a second after a Shopify edit of the same field, decided for Shopify
   * as a tie (Shopify's times have second precision): counted, not lost.
   */
  ties: number;
  /** Retailos deletions of a customer Shopify kept because an order placed there names them. */
  keptByShopify: number;
  /**
   * Retailos edits that lost to an earlier Shopify edit of the same field which no state delivered to
   * Retailos showed before the Retailos edit: the order was not observable (see `unobservedFirst`).
   */
  unobserved: Finding[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

// Retailos does not model "stocked at a location" apart from the quantities: a level whose quantities are
// all zero and no level at all are the same state (live sync ignores `inventory_levels/disconnect`, and
// the reconciliation skips never-synced zero levels on both sides, src/sync/reconcile/levels-compare.ts).
// So a zero level on one side against none on the other is no divergence; a non-zero one is.
export const zeroLevel = (f: Fields | undefined): boolean =>
  f !== undefined && Object.values(f).every((q) => q === 0);

export function compareSides(shopify: SideState, retailos: SideState): Divergence[] {
  const out: Divergence[] = [];
  for (const kind of Object.keys(shopify) as Kind[]) {
    const s = shopify[kind];
    const r = retailos[kind];
    for (const key of new Set([...s.keys(), ...r.keys()])) {
      const a = s.get(key);
      const b = r.get(key);
      if (!a || !b) {
        if (kind === 'inventory_level' && zeroLevel(a ?? b)) continue;
        out.push({
          kind,
          key,
          field: '(record)',
          shopify: a ? 'present' : 'missing',
          retailos: b ? 'present' : 'missing',
        });
        continue;
      }
      for (const field of new Set([...Object.keys(a), ...Object.keys(b)]))
        if (!same(a[field], b[field])) out.push({ kind, key, field, shopify: a[field], retailos: b[field] });
    }
  }
  return out;
}

export interface Judged {
  shopify: SideState;
  retailos: SideState;
  keys: Keys;
  /** Available per level key right after the import (both sides equal then). */
  startStock: Map<string, number>;
  /** Sync History: `<entity>|<key>` → when each entry was written (ms). */
  history: Map<string, number[]>;
  /**
   * The Shopify states delivered to Retailos (webhooks it acknowledged): `<entity>|<GID>` of a product,
   * customer or order → each state's `updated_at` and when Retailos received it (ms). Absent: none
   * counted as unobserved.
   */
  delivered?: Map<string, Delivered[]>;
  /**
   * The values Sync History says a merge decided against Retailos (conflicts Shopify won), per record as
   * in `history`: when, the conflict's path (`title`, `variants[…].price`) and the Retailos value lost.
   */
  overruled?: Map<string, Overruled[]>;
}

/** One Shopify state delivered to Retailos. */
export interface Delivered {
  /** The payload's `updated_at` (ms). */
  updatedAt: number;
  /** When the delivery Retailos acknowledged was sent (ms, the emulator's clock); unknown: undefined. */
  receivedAt?: number | undefined;
}

/** A conflict Shopify won, from a Sync History entry. */
export interface Overruled {
  at: number;
  path: string;
  lost: unknown;
}

const kindOf = (r: Ref): Kind => r.entity;

export function judge(entries: readonly Entry[], j: Judged): Verdict {
  const diverged = compareSides(j.shopify, j.retailos);
  const v: Verdict = {
    diverged,
    divergedRecords: new Set(diverged.map((d) => `${d.kind}|${d.key}`)).size,
    lost: [],
    stockOff: [],
    unrecorded: [],
    superseded: 0,
    ties: 0,
    keptByShopify: 0,
    unobserved: [],
  };
  const deleted = new Set(
    entries.flatMap((e) => (e.kind === 'delete' ? [`${kindOf(e.ref)}|${j.keys.ref(e.ref)}`] : [])),
  );
  const gone = (r: Ref): boolean =>
    deleted.has(`${kindOf(r)}|${j.keys.ref(r)}`) || (r.parent !== undefined && gone(r.parent));
  const on = (side: SideState, r: Ref): Fields | undefined => side[kindOf(r)].get(j.keys.ref(r));
  const onBoth = (r: Ref) => on(j.shopify, r) !== undefined && on(j.retailos, r) !== undefined;
  const recorded = (r: Ref, at: number): boolean => {
    const owner = r.entity === 'variant' && r.parent ? r.parent : r;
    return (j.history.get(`${owner.entity}|${j.keys.ref(owner)}`) ?? []).some((t) => t >= at);
  };
  const known = (r: Ref): boolean => j.history.has(`${r.entity}|${j.keys.ref(r)}`);
  const describe = (e: Entry, r: Ref) =>
    `${e.kind === 'field' ? `${e.field} edit` : e.kind} of ${r.entity} ${j.keys.ref(r)} on ${r.side} (${r.id})`;

  // What a lost edit competed with: the other edits of its record (or its variant's product) within
  // 5 s of it, with their fields and times relative to it.
  const owner = (r: Ref): string => {
    const o = r.entity === 'variant' && r.parent ? r.parent : r;
    return `${kindOf(o)}|${j.keys.ref(o)}`;
  };
  const rivals = (e: Entry): string => {
    if (e.kind !== 'field') return '';
    const said = entries.flatMap((o) =>
      o !== e && o.kind === 'field' && owner(o.ref) === owner(e.ref) && Math.abs(o.at - e.at) <= 5_000
        ? [`op ${o.n} ${o.field} on ${o.ref.side} ${o.at - e.at >= 0 ? '+' : ''}${o.at - e.at} ms`]
        : [],
    );
    return said.length > 0 ? ` (edits of the record within 5 s: ${said.join(', ')})` : '';
  };
  /** The last Shopify edit of the same field made before this edit, if any. */
  const shopifyEditBefore = (
    e: Extract<Entry, { kind: 'field' }>,
  ): Extract<Entry, { kind: 'field' }> | undefined => {
    const key = `${kindOf(e.ref)}|${j.keys.ref(e.ref)}|${e.field}`;
    let before: Extract<Entry, { kind: 'field' }> | undefined;
    for (const o of entries)
      if (
        o.n < e.n &&
        o.kind === 'field' &&
        o.ref.side === 'shopify' &&
        `${kindOf(o.ref)}|${j.keys.ref(o.ref)}|${o.field}` === key
      )
        before = o;
    return before;
  };
  // A Retailos edit made less than a second after a Shopify edit of the same field, whose value both
  // sides hold: Shopify's times have second precision, so the two may be a tie, and a tie goes to
  // Shopify (src/domain/merge.ts). Not a loss; counted apart so a run shows how many there were.
  const tiedWithShopify = (e: Extract<Entry, { kind: 'field' }>, s?: Fields, l?: Fields): boolean => {
    if (e.ref.side !== 'retailos' || !s || !l) return false;
    const before = shopifyEditBefore(e);
    return (
      before !== undefined &&
      e.at - before.at < 1_000 &&
      same(s[e.field], before.value) &&
      same(l[e.field], before.value)
    );
  };
  // A Retailos edit that lost to an earlier Shopify edit of the same field, whose value both sides hold,
  // when no state of the record Retailos was delivered is from that Shopify edit's second up to the
  // Retailos edit (its webhook, and any of the record's until then, dropped or late), or none such
  // reached Retailos before the merge that decided against the edit (`shown`). Shopify gives no
  // per-field time: Retailos knows its edit only lies between the last state it saw without it and the
  // first with it, here after the Retailos edit, so either order fits all Retailos saw, and such a tie
  // goes to Shopify (src/sync/continuous/shopify-edit-time.ts). Not a loss Retailos could avoid; listed
  // apart. (A read of Shopify made by a push that then wrote nothing is not counted: Retailos keeps only
  // the reads of pushes that wrote, and may have had one.)
  // A state stamped in the Retailos edit's own second counts only if Retailos received it before its
  // edit: Shopify's times have second precision, so it may be from after the edit, and Retailos, which
  // compares its edit with that second, takes such a tie for Shopify (chaos seed 27 op 231: a Retailos
  // note edit at .409 s, Shopify's note edit 10 s earlier with its webhook dropped, first delivered in
  // the state of a Shopify last-name edit made at .829 s of the same second and stamped with it).
  // A state counts as shown only when Retailos received it before the merge that decided against the
  // edit (the Sync History entry whose conflict lost its value): one delivered late, after that decision,
  // told nothing the decision could use (chaos seed 20 op 1844: the Shopify edit's webhook came 60 s late,
  // 6 s after a later Shopify edit of another field bounded the title's time past the Retailos edit).
  // Such a late delivery, when it comes, now reopens the decision (sync/continuous/reopened-conflict.ts):
  // the Retailos value ends on both sides and the edit is no finding at all; one still listed here had
  // no delivery of that Shopify edit's state reach Retailos (dropped) or reopening it was not proved.
  // No such entry: every delivered state counts, whenever it came.
  const decidedAt = (e: Extract<Entry, { kind: 'field' }>): number | undefined => {
    const field = (path: string) => path === e.field || path.endsWith(`].${e.field}`);
    const times = (j.overruled?.get(owner(e.ref)) ?? [])
      .filter((o) => o.at >= e.at && field(o.path) && same(o.lost, e.value))
      .map((o) => o.at);
    return times.length > 0 ? Math.min(...times) : undefined;
  };
  const unobservedFirst = (
    e: Extract<Entry, { kind: 'field' }>,
    s?: Fields,
    l?: Fields,
  ): string | undefined => {
    if (e.ref.side !== 'retailos' || !s || !l || !j.delivered) return undefined;
    const before = shopifyEditBefore(e);
    if (!before || before.at >= e.at || !same(s[e.field], before.value) || !same(l[e.field], before.value))
      return undefined;
    const from = Math.floor(before.at / 1_000) * 1_000;
    const decided = decidedAt(e);
    const shown = (d: Delivered) =>
      decided === undefined || d.receivedAt === undefined || d.receivedAt < decided;
    // A state told Retailos the Shopify edit came first only if its second ended before the Retailos
    // edit, or Retailos received it before the edit: one stamped in the edit's own second and received
    // after it may be from after it, a tie that goes to Shopify (shopify-edit-time.ts, laterFieldEdit).
    const toldFirst = (d: Delivered) =>
      d.updatedAt + 1_000 <= e.at ||
      (d.updatedAt < e.at && d.receivedAt !== undefined && d.receivedAt < e.at);
    const seen = j.delivered.get(owner(e.ref)) ?? [];
    if (seen.some((d) => d.updatedAt >= from && toldFirst(d) && shown(d))) return undefined;
    return decided === undefined
      ? `op ${before.n} on shopify ${before.at - e.at} ms, no state of the record delivered between`
      : `op ${before.n} on shopify ${before.at - e.at} ms, no state of the record between delivered before the merge that decided it (${decided - e.at} ms)`;
  };
  const orderedFor = (c: Ref): boolean =>
    entries.some((o) => o.kind === 'create' && o.customer && j.keys.ref(o.customer) === j.keys.ref(c));
  // Only the last edit of each field counts; earlier ones were superseded by it.
  const last = new Map<string, Entry>();
  for (const e of entries) {
    if (e.kind === 'field') last.set(`${kindOf(e.ref)}|${j.keys.ref(e.ref)}|${e.field}`, e);
  }
  for (const e of entries) {
    if (e.kind === 'stock') continue;
    const r = e.ref;
    if (e.kind === 'field' && last.get(`${kindOf(r)}|${j.keys.ref(r)}|${e.field}`) !== e) {
      v.superseded += 1;
      continue;
    }
    if (e.kind === 'delete') {
      if (r.entity === 'customer' && onBoth(r) && orderedFor(r)) {
        // Shopify keeps a customer with orders: a Retailos deletion racing an order placed on Shopify
        // is refused there, and the customer comes back in Retailos (Sync History says why).
        v.keptByShopify += 1;
        continue;
      }
      if (on(j.shopify, r) || on(j.retailos, r))
        v.lost.push({ n: e.n, what: `${describe(e, r)}: still there` });
      // A record the other side never got (made and deleted between two syncs) has nothing to record.
      else if (known(r) && !recorded(r, e.at)) v.unrecorded.push({ n: e.n, what: describe(e, r) });
      continue;
    }
    if (gone(r)) {
      v.superseded += 1;
      continue;
    }
    const s = on(j.shopify, r);
    const l = on(j.retailos, r);
    if (!s && !l) {
      v.lost.push({ n: e.n, what: `${describe(e, r)}: the record is on neither side` });
      continue;
    }
    const kept =
      e.kind === 'create' ||
      (e.kind === 'field' && [s, l].some((f) => f && same(f[e.field], e.value))) ||
      (e.kind === 'tag' && [s, l].some((f) => f && (f['tags'] as string[]).includes(e.tag)));
    if (!kept && e.kind === 'field' && tiedWithShopify(e, s, l)) {
      v.ties += 1;
      continue;
    }
    if (!kept && e.kind === 'field') {
      const unseen = unobservedFirst(e, s, l);
      if (unseen) {
        const value = `${e.field} = ${JSON.stringify(e.value)}`;
        v.unobserved.push({ n: e.n, what: `${describe(e, r)}: ${value} lost to ${unseen}` });
        continue;
      }
    }
    if (!kept) {
      const value =
        e.kind === 'field' ? `${e.field} = ${JSON.stringify(e.value)}` : `tag ${(e as { tag: string }).tag}`;
      v.lost.push({ n: e.n, what: `${describe(e, r)}: ${value} is on neither side${rivals(e)}` });
    } else if (onBoth(r) && !recorded(r, e.at)) v.unrecorded.push({ n: e.n, what: describe(e, r) });
  }
  checkStock(entries, j, gone, v);
  return v;
}

function checkStock(entries: readonly Entry[], j: Judged, gone: (r: Ref) => boolean, v: Verdict): void {
  const expected = new Map(j.startStock);
  const deltas = new Map<string, Extract<Entry, { kind: 'stock' }>[]>();
  const variantOf = new Map<string, Ref>();
  for (const e of entries) {
    if (e.kind !== 'stock') continue;
    const location =
      e.side === 'shopify' ? gidOf('location', e.location) : j.keys.key('location', e.location);
    const key = `${j.keys.ref(e.variant)}@${location}`;
    expected.set(key, (expected.get(key) ?? 0) + e.delta);
    deltas.set(key, [...(deltas.get(key) ?? []), e]);
    variantOf.set(key, e.variant);
  }
  for (const [key, want] of expected) {
    const variant = variantOf.get(key);
    if (variant && gone(variant)) continue;
    const s = j.shopify.inventory_level.get(key);
    const r = j.retailos.inventory_level.get(key);
    if (!s && !r) continue; // its variant is gone from both sides (compared as variants)
    for (const [side, level] of [
      ['Shopify', s],
      ['Retailos', r],
    ] as const) {
      if (level && level['available'] !== want)
        v.stockOff.push({
          n: deltas.get(key)?.at(-1)?.n ?? 0,
          what: `${key}: ${side} has ${String(level['available'])}, start + Σ deltas = ${want}`,
        });
    }
    // The deltas after the level's last Sync History entry must add up to nothing: a sale and its
    // cancellation between two syncs leave nothing to record, anything else was synced unrecorded.
    const times = j.history.get(`inventory_level|${key}`) ?? [];
    const lastEntry = Math.max(-Infinity, ...times);
    const after = (deltas.get(key) ?? []).filter((e) => e.at > lastEntry);
    if (s && r && after.reduce((n, e) => n + e.delta, 0) !== 0)
      v.unrecorded.push({ n: after.at(-1)?.n ?? 0, what: `stock change of ${key}` });
  }
}
