-- Continuous sync: which local changes have been handed to the push queue (the outbox relay marks
-- them), one Sync History entry per applied change in either direction, and the dead letters of
-- pushes and webhooks that could not be applied (shown, replayable, discardable; never dropped).
alter table changes add column relayed_at timestamptz;
-- Only changes the sync may push (not its own writes) wait for the relay.
create index changes_unrelayed_idx on changes (tenant_id, id) where relayed_at is null and origin <> 'shopify';

alter table shopify_sync_base add column last_pushed_hash text;
alter table shopify_sync_base add column last_pushed_at timestamptz;

create table shopify_sync_history (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  entity text not null check (entity in ('product', 'customer', 'order', 'inventory_level', 'location')),
  local_id uuid,
  gid text,
  display_name text not null,
  direction text not null check (direction in ('inbound', 'outbound')),
  origin text not null check (origin in ('webhook', 'push', 'import', 'reconcile', 'revert', 'redo', 'user')),
  action text not null check (action in ('create', 'update', 'delete')),
  outcome text not null check (outcome in ('applied', 'merged', 'failed')),
  before jsonb,
  after jsonb,
  diff jsonb not null,
  conflicts jsonb not null default '[]',
  error text,
  occurred_at timestamptz not null,
  -- Lower-cased words to search by: display name, SKUs, email, order name, GID.
  search_text text not null
);
create index shopify_sync_history_tenant_idx on shopify_sync_history (tenant_id, occurred_at desc, id desc);
create index shopify_sync_history_entity_idx on shopify_sync_history (tenant_id, entity, local_id, id desc);
create index shopify_sync_history_gid_idx on shopify_sync_history (tenant_id, gid);

create table shopify_dead_letters (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  direction text not null check (direction in ('inbound', 'outbound')),
  entity text not null,
  local_id uuid,
  gid text,
  display_name text not null,
  -- What to run again on replay (the job's data).
  job text not null,
  payload jsonb not null,
  error_class text not null,
  first_error text not null,
  last_error text not null,
  attempts integer not null,
  first_failed_at timestamptz not null,
  last_failed_at timestamptz not null,
  state text not null default 'open' check (state in ('open', 'replayed', 'discarded')),
  settled_at timestamptz,
  -- Set when a later change of the same entity waited behind this letter.
  waiting_changes integer not null default 0,
  entity_key text not null
);
-- One open letter per entity: later failures of the same entity update it.
create unique index shopify_dead_letters_open_key on shopify_dead_letters (tenant_id, entity_key) where state = 'open';
create index shopify_dead_letters_tenant_idx on shopify_dead_letters (tenant_id, state, id desc);
