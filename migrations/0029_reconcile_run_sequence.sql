-- Reconciliation runs are ordered by a sequence, not by their start: two runs opened in the same
-- millisecond (a clock standing still, two processes) no longer tie, so "the last run" is one row.
alter table shopify_reconcile_runs add column seq bigint generated always as identity;
drop index shopify_reconcile_runs_newest;
create index shopify_reconcile_runs_newest on shopify_reconcile_runs (tenant_id, seq desc);
