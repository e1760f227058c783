import type { Queryable } from './db.ts';
import { entityKey } from './shopify-dead-letters.ts';

/** The records whose page shows their sync state. */
export type SyncStateEntity = 'product' | 'customer' | 'order';

export interface OpenLetter {
  id: number;
  lastError: string;
  attempts: number;
  lastFailedAt: Date;
}

/** What the sync tables hold about one record: its link, its last sync, an unrelayed edit, an open dead letter. */
export interface RecordSyncFacts {
  /** The Shopify GID the record is linked to; null when it is not on Shopify (yet). */
  gid: string | null;
  /** When the last synced snapshot (the base) was written; null when never synced. */
  syncedAt: Date | null;
  /** A local edit the outbox has not yet handed to the push queue. */
  unrelayedChange: boolean;
  deadLetter: OpenLetter | null;
}

interface LetterColumns {
  letter_id: string | number | null;
  last_error: string | null;
  attempts: number | null;
  last_failed_at: Date | null;
}

const letterOf = (r: LetterColumns): OpenLetter | null =>
  r.letter_id === null
    ? null
    : {
        id: Number(r.letter_id),
        lastError: r.last_error ?? '',
        attempts: r.attempts ?? 0,
        lastFailedAt: r.last_failed_at as Date,
      };

interface Row extends LetterColumns {
  gid: string | null;
  synced_at: Date | null;
  unrelayed: boolean;
}

/**
 * One statement, each part through its table's tenant-first index. A dead letter is the record's when it
 * names it by local id (a push) or, before the record had one, by its GID (a webhook).
 */
export async function recordSyncFacts(
  q: Queryable,
  tenantId: string,
  entity: SyncStateEntity,
  localId: string,
): Promise<RecordSyncFacts> {
  const { rows } = await q.query<Row>(
    `with link as (
       select k.gid, k.synced_at from (select 1) one
       left join shopify_links k on k.tenant_id = $1 and k.entity = $2 and k.local_id = $3
     )
     select link.gid, link.synced_at,
       exists (select 1 from changes where tenant_id = $1 and entity = $2 and entity_id = $3
                 and origin <> 'shopify' and relayed_at is null) as unrelayed,
       l.id as letter_id, l.last_error, l.attempts, l.last_failed_at
     from link
     left join lateral (
       select id, last_error, attempts, last_failed_at from shopify_dead_letters
        where tenant_id = $1 and state = 'open' and entity_key in ($4, $2 || ':' || link.gid)
        order by id desc limit 1
     ) l on true`,
    [tenantId, entity, localId, entityKey(entity, localId, null)],
  );
  const r = rows[0];
  if (!r) throw new Error('recordSyncFacts: the statement returned no row');
  return {
    gid: r.gid,
    syncedAt: r.synced_at,
    unrelayedChange: r.unrelayed,
    deadLetter: letterOf(r),
  };
}

/** A product's stock as the sync sees it: levels Shopify has not got yet, and an open dead letter of one. */
export interface StockSyncFacts {
  /**
   * Levels at a location Shopify has whose quantities differ from what was last pushed or counted (or
   * were never synced). A location only Retailos has is never pushed, so its levels are never pending.
   */
  pendingLevels: number;
  deadLetter: OpenLetter | null;
}

interface StockRow extends LetterColumns {
  pending: string | number;
}

export async function productStockSyncFacts(
  q: Queryable,
  tenantId: string,
  productId: string,
): Promise<StockSyncFacts> {
  const { rows } = await q.query<StockRow>(
    `with levels as (
       select l.id, l.available, l.on_hand,
              exists (select 1 from shopify_links m where m.tenant_id = $1 and m.entity = 'location'
                        and m.local_id = l.location_id) as on_shopify
         from inventory_levels l
         join variants v on v.tenant_id = l.tenant_id and v.id = l.variant_id
        where l.tenant_id = $1 and v.product_id = $2
     )
     select
       (select count(*) from levels l
          left join shopify_links b on b.tenant_id = $1 and b.entity = 'inventory_level' and b.local_id = l.id
         where l.on_shopify and (b.snapshot_hash is null or (b.snapshot->>'available')::int <> l.available
            or (b.snapshot->>'onHand')::int <> l.on_hand)) as pending,
       d.id as letter_id, d.last_error, d.attempts, d.last_failed_at
     from (select 1) as one
     left join lateral (
       select id, last_error, attempts, last_failed_at from shopify_dead_letters
        where tenant_id = $1 and state = 'open' and entity = 'inventory_level'
          and local_id in (select id from levels)
        order by id desc limit 1
     ) d on true`,
    [tenantId, productId],
  );
  const r = rows[0];
  if (!r) throw new Error('productStockSyncFacts: the statement returned no row');
  return {
    pendingLevels: Number(r.pending),
    deadLetter: letterOf(r),
  };
}
