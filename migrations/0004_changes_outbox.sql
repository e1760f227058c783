-- Change capture: every create/update/delete through the core writes one row here in the same
-- transaction. origin says who made the write; the sync never pushes back its own ('shopify') writes.
create table changes (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  entity text not null check (entity in ('product', 'customer', 'order', 'inventory_level', 'location')),
  entity_id uuid not null,
  version integer not null,
  op text not null check (op in ('create', 'update', 'delete')),
  origin text not null,
  created_at timestamptz not null default now()
);
create index changes_tenant_idx on changes (tenant_id, id);
create index changes_entity_idx on changes (tenant_id, entity, entity_id, id);
