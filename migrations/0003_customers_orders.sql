-- Customers and orders with line items.
create table customers (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  email text,
  first_name text not null default '',
  last_name text not null default '',
  phone text,
  note text not null default '',
  tags text[] not null default '{}',
  addresses jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index customers_email_key on customers (tenant_id, lower(email)) where email is not null;
create index customers_page_idx on customers (tenant_id, created_at desc, id desc);
create index customers_updated_idx on customers (tenant_id, updated_at, id);

create table orders (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  name text not null,
  number integer not null,
  customer_id uuid references customers(id) on delete set null,
  email text,
  phone text,
  financial_status text not null default 'pending',
  fulfillment_status text not null default 'unfulfilled',
  currency text not null,
  subtotal_price numeric not null check (subtotal_price >= 0),
  total_tax numeric not null check (total_tax >= 0),
  total_price numeric not null check (total_price >= 0),
  note text not null default '',
  tags text[] not null default '{}',
  processed_at timestamptz not null default now(),
  cancelled_at timestamptz,
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create unique index orders_number_key on orders (tenant_id, number);
create index orders_page_idx on orders (tenant_id, processed_at desc, id desc);
create index orders_updated_idx on orders (tenant_id, updated_at, id);
create index orders_customer_idx on orders (customer_id);

create table order_line_items (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants(id),
  order_id uuid not null references orders(id) on delete cascade,
  position integer not null,
  sku text,
  title text not null,
  quantity integer not null check (quantity > 0),
  unit_price numeric not null check (unit_price >= 0),
  variant_id uuid references variants(id) on delete set null
);
create index order_line_items_order_idx on order_line_items (order_id, position);
