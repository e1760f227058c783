-- The snapshot hash a push is about to write to Shopify, stored before the call. Until the push's own
-- transaction stores its result as the base, a webhook (or any other decision) that finds Shopify
-- holding exactly this state knows it is the echo of our push, not a Shopify edit: it merges against
-- it as the base, so a Retailos edit made meanwhile is pushed next instead of being overwritten by the
-- older state we pushed.
alter table shopify_sync_base add column pushing_hash text;
