-- One Shopify row per record (decision 0007, item 1): the id map (GID <-> local id, 0008) and the sync
-- base (the last synced snapshot and the push bookkeeping of 0010, 0032, 0033, 0036, 0038, 0043) become
-- one table. Every linked record has a row; a record with a base (product, customer, order, location,
-- inventory level) has its base columns filled, a sub-record that only needs its GID (variant,
-- inventory item) or a record whose base was dropped has them null. "Has a base" is
-- `snapshot_hash is not null`: the base columns are set and cleared together (db/shopify-sync-base.ts).
create table shopify_links (
  tenant_id uuid not null references tenants(id),
  entity text not null check (entity in ('product', 'variant', 'inventory_item', 'customer', 'order', 'location', 'inventory_level')),
  local_id uuid not null,
  gid text not null,
  created_at timestamptz not null default now(),
  snapshot_hash text,
  snapshot jsonb,
  remote_updated_at timestamptz,
  synced_at timestamptz,
  last_pushed_hash text,
  last_pushed_at timestamptz,
  pushing_hash text,
  pushing_base jsonb,
  pushing_prev_hash text,
  pushing_prev_base jsonb,
  pushing_cause text,
  pushed_over jsonb,
  primary key (tenant_id, entity, local_id),
  -- A base is whole or absent; only the kinds that had one in the sync base have one.
  check ((snapshot_hash is null) = (snapshot is null) and (snapshot_hash is null) = (synced_at is null)),
  check (snapshot_hash is null or entity in ('product', 'customer', 'order', 'location', 'inventory_level'))
);
create unique index shopify_links_gid_key on shopify_links (tenant_id, entity, gid);
-- As 0015 did for the base: the snapshot's statistics are never used and costly to gather.
alter table shopify_links alter column snapshot set statistics 0;

-- A record with both rows must name the same GID in each: two GIDs for one record, or one GID for
-- two records, cannot be merged by picking one, so the migration stops and says which. One
-- disagreement is known and has an answer: a stock level whose variant moved to another inventory item
-- (sync/continuous/inventory-item-gone.ts) had its base rewritten under the level GID of the new item
-- while its link kept the old one; the base's is the later and the one live sync uses, so it is kept.
do $$
declare
  bad record;
begin
  select b.tenant_id, b.entity, b.local_id, b.gid as base_gid, m.gid as map_gid into bad
    from shopify_sync_base b
    join shopify_id_map m on m.tenant_id = b.tenant_id and m.entity = b.entity and m.local_id = b.local_id
   where m.gid <> b.gid and b.entity <> 'inventory_level'
   limit 1;
  if found then
    raise exception 'shopify_links: % % % is linked to % in shopify_id_map but its sync base names %',
      bad.tenant_id, bad.entity, bad.local_id, bad.map_gid, bad.base_gid;
  end if;
  select b.tenant_id, b.entity, b.gid, b.local_id as base_local, m.local_id as map_local into bad
    from shopify_sync_base b
    join shopify_id_map m on m.tenant_id = b.tenant_id and m.entity = b.entity and m.gid = b.gid
   where m.local_id <> b.local_id
   limit 1;
  if found then
    raise exception 'shopify_links: % % % is linked to % in shopify_id_map but its sync base is of %',
      bad.tenant_id, bad.entity, bad.gid, bad.map_local, bad.base_local;
  end if;
end $$;

-- One row per (tenant, entity, local id): the link's row with its base where it has one. A base whose
-- record has no link (a stock level Retailos created and pushed) gives its GID as the link, and so does
-- a level's base that disagrees with its link (above).
insert into shopify_links (tenant_id, entity, local_id, gid, created_at, snapshot_hash, snapshot,
    remote_updated_at, synced_at, last_pushed_hash, last_pushed_at, pushing_hash, pushing_base,
    pushing_prev_hash, pushing_prev_base, pushing_cause, pushed_over)
select coalesce(m.tenant_id, b.tenant_id), coalesce(m.entity, b.entity), coalesce(m.local_id, b.local_id),
       coalesce(b.gid, m.gid), coalesce(m.created_at, b.synced_at), b.snapshot_hash, b.snapshot,
       b.remote_updated_at, b.synced_at, b.last_pushed_hash, b.last_pushed_at, b.pushing_hash, b.pushing_base,
       b.pushing_prev_hash, b.pushing_prev_base, b.pushing_cause, b.pushed_over
  from shopify_id_map m
  full join shopify_sync_base b on b.tenant_id = m.tenant_id and b.entity = m.entity and b.local_id = m.local_id;

drop table shopify_sync_base;
drop table shopify_id_map;
