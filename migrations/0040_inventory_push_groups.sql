-- A compare-and-set push of several stock levels in one inventoryAdjustQuantities call (the
-- reconciliation's stock repairs). Each member's pending push (shopify_inventory_pushes) carries the
-- group's idempotency key; this row keeps the call's changes in order, and who the push is for in Sync
-- History, so whoever finds a member pending (a retry after a kill, a live push of the level) sends the
-- very same call again — Shopify answers what it did the first time — and settles every member.
create table shopify_inventory_push_groups (
  tenant_id uuid not null references tenants(id),
  key text not null,
  changes jsonb not null,
  origin text not null,
  cause text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, key)
);
