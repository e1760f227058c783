-- One row per synced stock level: `generation` counts the writes of the level's sync base by the
-- continuous sync, and the pending columns hold a compare-and-set push that was sent to Shopify and
-- whose outcome is not written back yet. While a push is pending, a webhook about the level cannot
-- tell our own change from a sale on Shopify, so it waits; an apply that read Shopify checks that the
-- generation did not move meanwhile before it counts Shopify's change.
create table shopify_inventory_pushes (
  tenant_id uuid not null references tenants(id),
  level_id uuid not null references inventory_levels(id) on delete cascade,
  generation bigint not null default 0,
  pending_from integer,
  pending_delta integer,
  pending_key text,
  pending_since timestamptz,
  primary key (tenant_id, level_id),
  check ((pending_key is null) = (pending_from is null) and (pending_key is null) = (pending_delta is null))
);
create index shopify_inventory_pushes_level_idx on shopify_inventory_pushes (level_id);
