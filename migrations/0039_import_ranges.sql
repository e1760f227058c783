-- Ranged bulk exports (issue 19, decision 0007 "The paced figure"): a large resource is exported as
-- consecutive Shopify id ranges, one bulk query each, started one after another, so each range's file is
-- written while the next one exports. A row per range: its bounds (Shopify ids as digits, inclusive; a
-- null bound is open, so the ranges of a resource cover every id once), its bulk operation, its result
-- file and the checkpoint of that file (lines and bytes committed). The resource's row keeps the
-- records written and parked, and completes when every range has.
create table shopify_import_ranges (
  import_id uuid not null references shopify_imports(id) on delete cascade,
  resource text not null check (resource in ('products', 'customers', 'orders', 'inventory')),
  seq integer not null check (seq >= 0),
  from_id numeric(20, 0),
  to_id numeric(20, 0),
  state text not null check (state in ('pending', 'running', 'completed')),
  bulk_operation_id text,
  url text,
  total bigint,
  lines_done bigint not null default 0,
  bytes_done bigint not null default 0,
  reason text,
  updated_at timestamptz not null,
  primary key (import_id, resource, seq),
  check (from_id is null or to_id is null or from_id <= to_id)
);
