-- Revert and Redo: an entry with origin 'revert' points at the entry it rolled back, one with origin
-- 'redo' at the revert it re-applied. An entry is reverted at most once and a revert redone at most
-- once: the unique index makes a double click (or two concurrent requests) one change.
alter table shopify_sync_history add column linked_entry_id bigint references shopify_sync_history(id);
create unique index shopify_sync_history_link_key on shopify_sync_history (linked_entry_id, origin)
  where linked_entry_id is not null;
