-- Daily drift reconciliation (src/sync/reconcile): one row per run with its report, the differences it
-- found (a dry run lists them; a real run repairs them and records each one's outcome), and the cause
-- of a Sync History entry in words ("Shopify change not received", "push not delivered", …).
create table shopify_reconcile_runs (
  id uuid primary key,
  tenant_id uuid not null references tenants(id),
  dry_run boolean not null,
  trigger text not null check (trigger in ('schedule', 'demand')),
  state text not null check (state in ('running', 'completed', 'failed')),
  phase text not null default 'compare' check (phase in ('compare', 'repair', 'done')),
  reason text,
  started_at timestamptz not null,
  finished_at timestamptz,
  points_spent integer not null default 0,
  progress jsonb not null default '{}'::jsonb,
  report jsonb not null default '{}'::jsonb
);
-- At most one run per shop at a time.
create unique index shopify_reconcile_runs_one_running on shopify_reconcile_runs (tenant_id) where state = 'running';
create index shopify_reconcile_runs_newest on shopify_reconcile_runs (tenant_id, started_at desc, id desc);

create table shopify_reconcile_differences (
  run_id uuid not null references shopify_reconcile_runs(id) on delete cascade,
  tenant_id uuid not null references tenants(id),
  entity text not null,
  key text not null,
  local_id uuid,
  gid text,
  display_name text not null,
  cause text not null,
  fields jsonb not null,
  seen jsonb not null,
  state text not null default 'pending'
    check (state in ('pending', 'repaired', 'left_to_live_sync', 'failed', 'unchanged')),
  outcome text,
  primary key (run_id, entity, key)
);
create index shopify_reconcile_differences_pending on shopify_reconcile_differences (run_id) where state = 'pending';

alter table shopify_sync_history add column cause text;
