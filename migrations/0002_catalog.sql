-- Products, variants, locations and inventory levels. Money is numeric, read and written as decimal strings.
create table products (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  title text not null,
  handle text not null,
  description_html text not null default '',
  vendor text not null default '',
  product_type text not null default '',
  status text not null default 'active' check (status in ('active', 'draft', 'archived', 'unlisted')),
  tags text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index products_handle_key on products (tenant_id, handle);
create index products_page_idx on products (tenant_id, created_at desc, id desc);
create index products_updated_idx on products (tenant_id, updated_at, id);

create table variants (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  product_id uuid not null references products(id) on delete cascade,
  sku text,
  barcode text,
  price numeric not null check (price >= 0),
  compare_at_price numeric check (compare_at_price >= 0),
  option_values jsonb not null default '[]',
  position integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index variants_sku_key on variants (tenant_id, sku) where sku is not null and sku <> '';
create index variants_product_idx on variants (product_id, position);

create table locations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  name text not null,
  address jsonb not null default '{}',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index locations_name_key on locations (tenant_id, name);

create table inventory_levels (
  id uuid not null default gen_random_uuid() unique,
  tenant_id uuid not null references tenants(id),
  variant_id uuid not null references variants(id) on delete cascade,
  location_id uuid not null references locations(id),
  available integer not null default 0,
  on_hand integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  primary key (tenant_id, variant_id, location_id)
);
create index inventory_levels_location_idx on inventory_levels (location_id);

create table inventory_adjustments (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  variant_id uuid not null references variants(id) on delete cascade,
  location_id uuid not null references locations(id),
  delta_available integer not null,
  delta_on_hand integer not null,
  reason text not null,
  origin text not null,
  created_at timestamptz not null default now()
);
create index inventory_adjustments_level_idx on inventory_adjustments (tenant_id, variant_id, location_id, id);
