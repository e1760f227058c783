-- Sync History search and drill-down.
-- Search matches parts of words (`like '%…%'`), so it needs a trigram index: pg_trgm (shipped with
-- Postgres as a trusted extension; PGlite loads it at start, see db/pglite-db.ts). The indexed text
-- is padded with a space at each end, so a whole word (a full GID) can be matched exactly.
create extension if not exists pg_trgm;
create index shopify_sync_history_search_idx on shopify_sync_history
  using gin ((' ' || search_text || ' ') gin_trgm_ops);

-- The list is newest first, by (occurred_at, id), filtered by entity, origin or outcome: one index each,
-- so a filter on a rare value (a revert, a failure) reads only its own entries.
create index shopify_sync_history_kind_idx on shopify_sync_history (tenant_id, entity, occurred_at desc, id desc);
create index shopify_sync_history_origin_idx on shopify_sync_history (tenant_id, origin, occurred_at desc, id desc);
create index shopify_sync_history_outcome_idx on shopify_sync_history (tenant_id, outcome, occurred_at desc, id desc);

-- The import writes one entry per batch: `records` lists the batch's records (local id, GID, name,
-- the words they are found by), `record_ids` their local ids, so a record's own history finds its import.
alter table shopify_sync_history add column records jsonb;
alter table shopify_sync_history add column record_ids uuid[];
alter table shopify_sync_history alter column records set statistics 0;
create index shopify_sync_history_records_idx on shopify_sync_history using gin (record_ids)
  where record_ids is not null;
