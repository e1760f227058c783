-- Documents kept whole and never filtered on: ANALYZE skips them. Reading a sample of them (up to
-- 30,000 values each, detoasted) is most of ANALYZE's time and memory, and their statistics are
-- never used. The import refreshes the statistics of the tables it fills (embedded Postgres has no
-- autovacuum), so this keeps those refreshes cheap in time and in resident memory.
alter table shopify_sync_base alter column snapshot set statistics 0;
alter table products alter column description_html set statistics 0;
alter table customers alter column addresses set statistics 0;
alter table shopify_import_parked alter column payload set statistics 0;
alter table shopify_webhook_inbox alter column body set statistics 0;
alter table shopify_sync_history alter column before set statistics 0;
alter table shopify_sync_history alter column after set statistics 0;
alter table shopify_sync_history alter column diff set statistics 0;
alter table shopify_dead_letters alter column payload set statistics 0;
