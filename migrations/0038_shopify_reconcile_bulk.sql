-- Reconciliation repairs pushed by one Shopify bulk mutation per group (decision 0008). A row is written,
-- with every line it will send, in the transaction that sets the lines' echo notes and before anything is
-- staged; its mutation is named after it (`RetailosRepair_<id>`), so after a kill the operation is found
-- again by that name among Shopify's bulk operations and is never submitted twice. `operation_id` is
-- stored as soon as Shopify answers; `done` when every line is settled (or handed back to the
-- one-at-a-time path).
create table shopify_reconcile_bulk (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  run_id uuid not null references shopify_reconcile_runs(id) on delete cascade,
  entity text not null,
  operation_name text not null unique,
  operation_id text,
  state text not null check (state in ('staging', 'submitted', 'done')),
  created_at timestamptz not null,
  -- One entry per line, by line number: the difference it repairs and what the decision saw and pushed.
  lines jsonb not null
);
create index shopify_reconcile_bulk_open on shopify_reconcile_bulk (run_id) where state <> 'done';

-- A push's cause in words when the reconciliation made it (null for live sync's own pushes): its echo,
-- applied by live sync before the repair stored its result, is then recorded as the reconciliation's.
alter table shopify_sync_base add column pushing_cause text;
