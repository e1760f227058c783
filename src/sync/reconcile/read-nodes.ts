import type { AnyAdapter, BulkPush, RemoteState } from '../entities/adapter.ts';
import { call } from '../entities/shopify-write.ts';
import type { ShopSession } from '../shop-session.ts';

// Records read again by id in batches (`nodes(ids:)`): the bulk repairs' read before a group is built,
// and the one-at-a-time repairs' read of a batch (repair.ts).

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
