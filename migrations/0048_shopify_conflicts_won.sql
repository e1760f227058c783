-- Field conflicts Shopify won (issue 16, chaos seeds 20 and 21): a field edited on both sides since the
-- sync base goes to the later edit, and Shopify's edit time is only bounded (by the earliest delivery we
-- received carrying its value). When that delivery was held back, a later Shopify edit of another field
-- bounded the field past a Retailos edit made after it, and the Retailos edit lost. The held delivery
-- comes later, older than the base: it proves Shopify's edit older than the Retailos edit, and the
-- decision is reopened (sync-entity.ts, reopenConflicts). A row lives from the decision until it can no
-- longer be reopened: the field changed since on either side (dropped by the next decision that stores
-- another value), the decision reopened, or older than the webhook retry window allows (CONFLICT_KEPT_MS).
create table shopify_conflicts_won (
  tenant_id uuid not null references tenants(id),
  entity text not null check (entity in ('product', 'customer', 'order')),
  local_id uuid not null,
  -- The top-level snapshot key (`title`, `note`).
  field text not null,
  -- The value Shopify's side won with, and the Retailos value that lost (JSON; `null` for none).
  won jsonb not null,
  lost jsonb not null,
  -- The Retailos edit's time, and Shopify's bound the decision used (whole seconds).
  local_edit_at timestamptz not null,
  shopify_bound timestamptz not null,
  -- Shopify's time of the base the conflict was decided against: a state older than it is no edit since.
  base_at timestamptz,
  -- The Sync History entry that carries the conflict, when one was written.
  history_id bigint,
  decided_at timestamptz not null,
  primary key (tenant_id, entity, local_id, field)
);
create index shopify_conflicts_won_age on shopify_conflicts_won (tenant_id, decided_at);
