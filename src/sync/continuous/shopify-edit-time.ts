import type { Queryable } from '../../db/db.ts';
import { recordDeliveriesSince } from '../../db/shopify-webhook-inbox.ts';
import { snapshotHash, upsertTopicsOf, type Json } from '../../domain/shopify-map/index.ts';
import type { RemoteState } from '../entities/adapter.ts';
import type { SyncedEntity } from './adapters.ts';
import { HINT_MAPPERS } from './hints.ts';

/** How far before a state's second its delivery may have been received (clocks of two machines). */
const CLOCK_SLACK_MS = 60_000;

/** True when `a` falls in the second Shopify stamped `b` with (its times have second precision). */
export const inShopifySecond = (a: Date, b: Date): boolean =>
  Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);

/**
 * When Retailos first received a delivery carrying exactly this state of the record: the state existed
 * by then, so a Retailos edit made after it is the later one. Shopify's `updatedAt` has second precision,
 * so a Retailos edit in the same second cannot be ordered against it by time alone; this bound can.
 * (X-Shopify-Triggered-At cannot: a debounced delivery may carry an earlier change's time.) Undefined
 * when no such delivery was received yet (or it was lost): the two edits are then a tie.
 */
export async function shopifyStateReceivedAt(
  q: Queryable,
  tenantId: string,
  entity: SyncedEntity,
  remote: RemoteState,
  snapshotOf: (r: RemoteState) => Json,
): Promise<Date | undefined> {
  const want = snapshotHash(snapshotOf(remote));
  const id = remote.gid.slice(remote.gid.lastIndexOf('/') + 1);
  const rows = await recordDeliveriesSince(
    q,
    tenantId,
    upsertTopicsOf(entity),
    { id, gid: remote.gid },
    new Date(remote.updatedAt.getTime() - CLOCK_SLACK_MS),
  );
  let first: Date | undefined;
  for (const row of rows) {
    const m = HINT_MAPPERS[entity](row.body);
    if (!m.ok || !m.value.remote || m.value.gid !== remote.gid) continue;
    if (!inShopifySecond(m.value.remote.updatedAt, remote.updatedAt)) continue; // an earlier, equal state
    if (snapshotHash(snapshotOf(m.value.remote)) !== want) continue;
    if (!first || row.receivedAt < first) first = row.receivedAt;
  }
  return first;
}
