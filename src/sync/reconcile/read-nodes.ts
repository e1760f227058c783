import { snapshotHash } from '../../domain/shopify-map/index.ts';
import type { MergedKind } from '../../domain/synced-kinds.ts';
import type { AnyAdapter, BulkPush, RemoteState } from '../entities/adapter.ts';
import type { RecordGroup } from '../entities/record-group.ts';
import { call } from '../entities/shopify-write.ts';
import type { ShopSession } from '../shop-session.ts';
import { MAPPERS, type Seen } from './compare.ts';

// Records read again by id in batches (`nodes(ids:)`): the bulk repairs' read before a group is built,
// and the one-at-a-time repairs' read of a batch (repair.ts).

/**
 * The kinds whose own `updatedAt` moves with every field of their snapshot, children included (an
 * order's line items are the order's; a customer's addresses). Not products: a variant's edit leaves
 * its product's `updatedAt` as it is (the emulator does; Shopify's pages do not say).
 */
const STAMPED: ReadonlySet<MergedKind> = new Set<MergedKind>(['order', 'customer']);

/** A record a repair needs as Shopify holds it now: what the run's export read of it, if anything. */
export interface ReadWanted {
  gid: string;
  seen: Seen;
  /** The export's lines of the record (the difference's `remote`); null or absent: none kept. */
  remote?: unknown;
}

/**
 * The records' Shopify side now. For a kind whose `updatedAt` moves with its whole snapshot (`STAMPED`)
 * only `id updatedAt` is read (1 point a record): a record whose `updatedAt` is still the one the
 * export read, and older than the export's start, is the export's record (kept with its difference);
 * any other is read whole (`readNodes`). Gone from Shopify: undefined.
 */
export async function readNow(
  session: ShopSession,
  a: AnyAdapter,
  push: BulkPush<RemoteState, never>,
  wanted: readonly ReadWanted[],
): Promise<Map<string, RemoteState | undefined>> {
  const gids = [...new Set(wanted.map((w) => w.gid))];
  if (!STAMPED.has(a.entity as MergedKind)) return readNodes(session, a, push, gids);
  const stamps = await readStamps(session, push.node.type, gids);
  const out = new Map<string, RemoteState | undefined>();
  const whole: string[] = [];
  const byGid = new Map(wanted.map((w) => [w.gid, w]));
  for (const gid of gids) {
    const stamp = stamps.get(gid);
    if (stamp === undefined) {
      out.set(gid, undefined);
      continue;
    }
    const kept = keptRecord(a, byGid.get(gid) as ReadWanted, stamp);
    if (kept) out.set(gid, kept);
    else whole.push(gid);
  }
  for (const [gid, r] of await readNodes(session, a, push, whole)) out.set(gid, r);
  return out;
}

/** The export's record when `stamp` (Shopify's `updatedAt` now) proves Shopify still holds it; else undefined. */
function keptRecord(a: AnyAdapter, w: ReadWanted, stamp: string): RemoteState | undefined {
  const group = w.remote as RecordGroup | null | undefined;
  if (!group || typeof group !== 'object' || !group.root) return undefined;
  const exported = group.root['updatedAt'];
  if (typeof exported !== 'string' || !stampHolds(exported, stamp, w.seen.exportedAt ?? null))
    return undefined;
  const m = MAPPERS[a.entity as MergedKind](group);
  if (!m.ok || snapshotHash(a.remoteSnapshot(m.value)) !== w.seen.remoteHash) return undefined;
  return m.value;
}

/**
 * Whether a record whose `updatedAt` the export read as `exported` and reads `now` now is unchanged
 * since the export read it. Shopify's times have whole seconds, so several edits can share one: the
 * stamp proves nothing unless it is older than the second the export began (any edit after the export
 * read the record then falls in that second or later, so it would show as a later `updatedAt`).
 */
export function stampHolds(exported: string, now: string, exportedAt: string | null): boolean {
  const e = Date.parse(exported);
  const n = Date.parse(now);
  const began = exportedAt === null ? Number.NaN : Date.parse(exportedAt);
  if (!Number.isFinite(e) || !Number.isFinite(n) || !Number.isFinite(began)) return false;
  return e === n && e < Math.floor(began / 1000) * 1000;
}

/** The records' `updatedAt` now (absent: gone from Shopify), `nodes(ids:)` 250 at a time, 1 point each. */
async function readStamps(
  session: ShopSession,
  type: string,
  gids: readonly string[],
): Promise<Map<string, string>> {
  const query = `query RetailosReconcileStamps($ids: [ID!]!) { nodes(ids: $ids) { ... on ${type} { id updatedAt } } }`;
  const out = new Map<string, string>();
  for (let i = 0; i < gids.length; i += 250) {
    const ids = gids.slice(i, i + 250);
    const { data } = await call<{ nodes: (Record<string, unknown> | null)[] }>(
      session,
      query,
      { ids },
      4 + ids.length,
    );
    // A record without a readable `updatedAt` gets '' (it is then read whole).
    for (const [j, node] of data.nodes.entries())
      if (node && typeof node['id'] === 'string')
        out.set(ids[j] as string, typeof node['updatedAt'] === 'string' ? node['updatedAt'] : '');
  }
  return out;
}

/** The records' Shopify side now, read in batches of `nodes(ids:)` under 1,000 requested points each. */
export async function readNodes(
  session: ShopSession,
  a: AnyAdapter,
  push: BulkPush<RemoteState, never>,
  gids: readonly string[],
): Promise<Map<string, RemoteState | undefined>> {
  const { type, selection, map } = push.node;
  const per = selectionCost(selection);
  const size = Math.max(1, Math.min(250, Math.floor(990 / per)));
  const query = `query RetailosReconcileRead($ids: [ID!]!) { nodes(ids: $ids) { ... on ${type} { ${selection} } } }`;
  const out = new Map<string, RemoteState | undefined>();
  for (let i = 0; i < gids.length; i += size) {
    const ids = gids.slice(i, i + size);
    const { data } = await call<{ nodes: (Record<string, unknown> | null)[] }>(
      session,
      query,
      { ids },
      4 + per * ids.length,
    );
    for (const [j, node] of data.nodes.entries()) {
      const gid = ids[j] as string;
      const r = node && typeof node['id'] === 'string' ? map(node) : undefined;
      out.set(gid, r === 'read' ? await a.readRemote(session, gid) : r);
    }
  }
  return out;
}

/**
 * The requested cost of one record's selection, by Shopify's formula: the record 1, each object field
 * 1, a connection 2 plus `first` times its node's cost (`nodes` / `edges` stand for the node, `pageInfo`
 * is free; scalars are free).
 */
export function selectionCost(selection: string): number {
  const tokens = selection.match(/[_A-Za-z][_0-9A-Za-z]*|\([^)]*\)|[{}]/g) ?? [];
  let i = 0;
  const block = (): number => {
    let cost = 0;
    while (i < tokens.length && tokens[i] !== '}') {
      const name = tokens[i] as string;
      const args = tokens[i + 1]?.startsWith('(') ? (tokens[i + 1] as string) : '';
      i += args ? 2 : 1;
      if (tokens[i] !== '{') continue;
      i += 1;
      const inner = block();
      i += 1;
      const first = /\bfirst:\s*(\d+)/.exec(args);
      if (first) cost += 2 + Number(first[1]) * (1 + inner);
      else if (name === 'nodes' || name === 'edges' || name === 'node') cost += inner;
      else if (name !== 'pageInfo') cost += 1 + inner;
    }
    return cost;
  };
  return 1 + block();
}
