-- What a creation sends to Shopify, noted before it is sent (issue 16, chaos seed 16 op 931): when its
-- answer is lost and a retry finds the record that attempt made (findCreated), or Shopify's webhook of it
-- comes first (unlinkedMatch), the record is linked with this snapshot as its sync base, the state both
-- sides grew from, so the next round merges three ways instead of by each side's record time. A row
-- lives from the attempt that sends until the record is linked with a base (or deleted unlinked);
-- shopify_links cannot hold it, its gid is not null and there is no GID before Shopify answers.
create table shopify_creations (
  tenant_id uuid not null references tenants(id),
  entity text not null check (entity in ('product', 'customer', 'order', 'location', 'inventory_level')),
  local_id uuid not null,
  -- The Retailos snapshot the last attempt that sent sent, and its hash (as the base stores them).
  snapshot_hash text not null,
  snapshot jsonb not null,
  -- When that attempt was about to send it (Retailos's clock).
  sent_at timestamptz not null,
  primary key (tenant_id, entity, local_id)
);
