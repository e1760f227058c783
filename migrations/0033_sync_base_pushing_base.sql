-- The Retailos state a push in flight was merged from, beside its pushing_hash (0032). A decision that
-- finds Shopify holding exactly what that push writes merges against this state — the common ancestor
-- of both sides — so a Retailos edit made meanwhile is pushed next and a Shopify edit the push carried
-- along is still applied to Retailos (Shopify's state as the base would hide it; the older base would
-- take our own push for a Shopify edit).
alter table shopify_sync_base add column pushing_base jsonb;
