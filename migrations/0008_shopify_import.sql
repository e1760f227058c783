-- The initial Shopify import: the id map (Shopify GID <-> Retailos id), the last synced snapshot of each
-- record (sync base), import runs with per-resource progress and checkpoints, and parked records.
create table shopify_id_map (
  tenant_id uuid not null references tenants(id),
  entity text not null check (entity in ('product', 'variant', 'inventory_item', 'customer', 'order', 'location', 'inventory_level')),
  gid text not null,
  local_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, entity, gid)
);
create unique index shopify_id_map_local_key on shopify_id_map (tenant_id, entity, local_id);

create table shopify_sync_base (
  tenant_id uuid not null references tenants(id),
  entity text not null check (entity in ('product', 'customer', 'order', 'location', 'inventory_level')),
  local_id uuid not null,
  gid text not null,
  snapshot_hash text not null,
  snapshot jsonb not null,
  remote_updated_at timestamptz,
  synced_at timestamptz not null,
  primary key (tenant_id, entity, local_id)
);
create unique index shopify_sync_base_gid_key on shopify_sync_base (tenant_id, entity, gid);

create table shopify_imports (
  id uuid primary key default gen_random_uuid(),
  -- Creation order (several imports may share a timestamp).
  seq bigint generated always as identity,
  tenant_id uuid not null references tenants(id),
  state text not null check (state in ('pending', 'running', 'paused', 'failed', 'completed')),
  reason text,
  created_at timestamptz not null,
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null
);
-- One unfinished import per tenant.
create unique index shopify_imports_live_key on shopify_imports (tenant_id) where state in ('pending', 'running', 'paused');
create index shopify_imports_tenant_idx on shopify_imports (tenant_id, seq desc);

create table shopify_import_resources (
  import_id uuid not null references shopify_imports(id) on delete cascade,
  resource text not null check (resource in ('locations', 'products', 'customers', 'orders', 'inventory')),
  state text not null check (state in ('pending', 'running', 'paused', 'failed', 'completed')),
  reason text,
  total bigint,
  done bigint not null default 0,
  parked bigint not null default 0,
  bulk_operation_id text,
  url text,
  lines_done bigint not null default 0,
  bytes_done bigint not null default 0,
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null,
  primary key (import_id, resource)
);

-- Records that could not be imported (mapping refused them, or a constraint did): shown, never dropped.
create table shopify_import_parked (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  import_id uuid not null references shopify_imports(id) on delete cascade,
  resource text not null,
  gid text not null,
  reason text not null,
  payload jsonb not null,
  created_at timestamptz not null
);
create unique index shopify_import_parked_key on shopify_import_parked (import_id, resource, gid);
create index shopify_import_parked_tenant_idx on shopify_import_parked (tenant_id, id);
