-- What the last push of a record wrote over on Shopify: Shopify's state as the push last read it and as
-- its write left it, each with Shopify's updatedAt ({read, readAt, wrote, wroteAt}; keyed lists carry
-- their Shopify ids). productSet, customerSet and orderUpdate have no compare-and-set, so a merchant's
-- edit made on Shopify between that read and that write is overwritten; its webhook, no newer than our
-- write, is told apart by this note and the edit merged back (sync-entity.ts, domain/overwritten-edit.ts).
alter table shopify_sync_base add column pushed_over jsonb;
