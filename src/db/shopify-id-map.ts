import type { SubRecordKind, SyncedKind } from '../domain/synced-kinds.ts';
import type { Queryable } from './db.ts';

/** What a Shopify GID can name on our side. A variant's inventory item maps to the variant. */
export type IdMapEntity = SyncedKind | SubRecordKind;

export interface IdLink {
  gid: string;
  localId: string;
}

/** Local ids of the given GIDs (unknown GIDs are absent from the map). */
export async function localIdsOf(
  q: Queryable,
  tenantId: string,
  entity: IdMapEntity,
  gids: readonly string[],
): Promise<Map<string, string>> {
  if (gids.length === 0) return new Map();
  const { rows } = await q.query<{ gid: string; local_id: string }>(
    'select gid, local_id from shopify_links where tenant_id = $1 and entity = $2 and gid = any($3::text[])',
    [tenantId, entity, [...new Set(gids)]],
  );
  return new Map(rows.map((r) => [r.gid, r.local_id]));
}

const RECORD_TABLES = { variant: 'variants', inventory_item: 'variants', customer: 'customers' } as const;

/**
 * Local ids of the variants (by their own or their inventory item's GID, or customers) these GIDs name
 * that Retailos still has. A record deleted in
 * Retailos keeps its link until Shopify has deleted it too, so a link alone may name a row that is gone.
 * The rows found stay locked (key share, taken in id order) until the caller's transaction ends, so a
 * deletion cannot commit between this check and the write that refers to them: an order applied from
 * Shopify while a worker applied its variant's deletion broke `order_line_items_variant_id_fkey` and was
 * parked as a dead letter (issue 16's chaos run). Only the record rows are locked, not the links.
 */
export async function liveLocalIdsOf(
  q: Queryable,
  tenantId: string,
  entity: keyof typeof RECORD_TABLES,
  gids: readonly string[],
): Promise<Map<string, string>> {
  if (gids.length === 0) return new Map();
  const { rows } = await q.query<{ gid: string; local_id: string }>(
    `select m.gid, m.local_id from shopify_links m
       join ${RECORD_TABLES[entity]} r on r.tenant_id = m.tenant_id and r.id = m.local_id
      where m.tenant_id = $1 and m.entity = $2 and m.gid = any($3::text[])
      order by r.id for key share of r`,
    [tenantId, entity, [...new Set(gids)]],
  );
  return new Map(rows.map((r) => [r.gid, r.local_id]));
}

/** GIDs of the given local ids. */
export async function gidsOf(
  q: Queryable,
  tenantId: string,
  entity: IdMapEntity,
  localIds: readonly string[],
): Promise<Map<string, string>> {
  if (localIds.length === 0) return new Map();
  const { rows } = await q.query<{ gid: string; local_id: string }>(
    'select gid, local_id from shopify_links where tenant_id = $1 and entity = $2 and local_id = any($3::uuid[])',
    [tenantId, entity, [...new Set(localIds)]],
  );
  return new Map(rows.map((r) => [r.local_id, r.gid]));
}

const INSERT_LINKS = `insert into shopify_links (tenant_id, entity, gid, local_id, created_at)
     select $1, $2, r.gid, r.local_id, $4 from jsonb_to_recordset($3::jsonb) as r(gid text, local_id uuid)`;

const linksJson = (links: readonly IdLink[]): string =>
  JSON.stringify(links.map((l) => ({ gid: l.gid, local_id: l.localId })));

/**
 * Records links in one statement. A GID already linked keeps its link and its row's sync base (the
 * caller resolved ids from the map first, in the same transaction, so the two agree); a local id
 * already linked to another GID fails the statement (the primary key), as it did before the id map and
 * the sync base became one table.
 */
export async function linkIds(
  q: Queryable,
  tenantId: string,
  entity: IdMapEntity,
  links: readonly IdLink[],
  now: Date,
): Promise<void> {
  if (links.length === 0) return;
  await q.query(`${INSERT_LINKS} on conflict (tenant_id, entity, gid) do nothing`, [
    tenantId,
    entity,
    linksJson(links),
    now,
  ]);
}

/**
 * Records links of GIDs the caller found unlinked earlier in the same transaction, in one plain insert.
 * It skips the conflict check `linkIds` makes for every row (a third of the insert's time), and a GID
 * another transaction linked meanwhile fails the statement instead of leaving the record the caller
 * just wrote unlinked.
 */
export async function linkNewIds(
  q: Queryable,
  tenantId: string,
  entity: IdMapEntity,
  links: readonly IdLink[],
  now: Date,
): Promise<void> {
  if (links.length === 0) return;
  await q.query(INSERT_LINKS, [tenantId, entity, linksJson(links), now]);
}

/**
 * Drops the links of local records that are gone (e.g. variants a product no longer has): their rows,
 * with the sync base a row may hold.
 */
export async function unlinkLocal(
  q: Queryable,
  tenantId: string,
  entity: IdMapEntity,
  localIds: readonly string[],
): Promise<void> {
  if (localIds.length === 0) return;
  await q.query(
    'delete from shopify_links where tenant_id = $1 and entity = $2 and local_id = any($3::uuid[])',
    [tenantId, entity, [...localIds]],
  );
}

/** The key Retailos creates each kind on Shopify by (customerSet by email, productSet by handle). */
const CREATION_KEYS = {
  customer: { table: 'customers', matches: 'lower(r.email) = lower($2)' },
  product: { table: 'products', matches: 'r.handle = $2' },
} as const;

/**
 * The Retailos record with this creation key (a customer's email, a product's handle) when it is
 * linked to no Shopify record, locked for the caller's transaction; undefined when there is none. Such
 * a record is one whose creation on Shopify has not been linked yet: the push creates it with this key,
 * so Shopify's record with the key is (or will be made) that one.
 */
export async function unlinkedLocalIdByKey(
  q: Queryable,
  tenantId: string,
  entity: keyof typeof CREATION_KEYS,
  key: string,
): Promise<string | undefined> {
  const { table, matches } = CREATION_KEYS[entity];
  const { rows } = await q.query<{ id: string }>(
    `select r.id from ${table} r where r.tenant_id = $1 and ${matches} for update`,
    [tenantId, key],
  );
  const id = rows[0]?.id;
  if (id === undefined) return undefined;
  // Read after the lock, so a link the record's push wrote meanwhile is seen.
  return (await gidsOf(q, tenantId, entity, [id])).has(id) ? undefined : id;
}

/**
 * True when the tenant has a customer with no email, created in Retailos since `since` and linked to
 * nothing yet: a creation whose push (keyless: customerSet creates it by no key) may be the one
 * Shopify's new email-less customer is the echo of.
 */
export async function hasRecentUnlinkedKeylessCustomer(
  q: Queryable,
  tenantId: string,
  since: Date,
): Promise<boolean> {
  const { rows } = await q.query(
    `select 1 from customers r where r.tenant_id = $1 and r.email is null and r.created_at >= $2
        and not exists (select 1 from shopify_links m
                         where m.tenant_id = r.tenant_id and m.entity = 'customer' and m.local_id = r.id)
      limit 1`,
    [tenantId, since],
  );
  return rows.length > 0;
}
