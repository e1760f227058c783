-- Our estimate of Shopify's GraphQL cost bucket for each connected shop, shared by every worker process
-- (a reservation locks the row), plus call counters for the health page. Shopify's throttleStatus in each
-- response overwrites the bucket size and restore rate; the counters run from `since`.
create table shopify_throttle (
  tenant_id uuid primary key references tenants(id),
  maximum_available double precision not null check (maximum_available > 0),
  restore_rate double precision not null check (restore_rate > 0),
  currently_available double precision not null,
  observed_at timestamptz not null,
  calls bigint not null default 0,
  throttled bigint not null default 0,
  points_spent bigint not null default 0,
  since timestamptz not null
);
