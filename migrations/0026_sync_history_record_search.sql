-- Sync History of one record (its page, and the filter `local_id`): its entries newest first, without
-- reading the entries of every record of its kind (the older index leads with the entity).
create index shopify_sync_history_record_idx on shopify_sync_history (tenant_id, local_id, occurred_at desc, id desc)
  where local_id is not null;
