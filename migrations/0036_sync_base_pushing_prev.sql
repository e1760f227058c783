-- The note of the push before the one in flight (0032, 0033), kept when a second decision pushes the
-- same record before the first one's result is stored (a push job and a webhook's decision, on two
-- workers). Both states are ours on Shopify until stored: without the earlier one, its echo was taken
-- for a Shopify edit and, most recent wins, written over the Retailos edit the second push carried
-- (chaos seed 12, 40 ops, on Postgres with two workers).
alter table shopify_sync_base add column pushing_prev_hash text;
alter table shopify_sync_base add column pushing_prev_base jsonb;
