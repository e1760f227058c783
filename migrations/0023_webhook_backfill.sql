-- Sync Health's subscription check: a subscription Shopify dropped is kept, marked missing (since when,
-- and why a re-registration failed), until it is registered again; then what changed meanwhile is
-- read from Shopify (the back-fill: from when, when done, how many records, or why not).
alter table shopify_webhook_subscriptions add column missing_since timestamptz;
alter table shopify_webhook_subscriptions add column reregister_error text;
alter table shopify_webhook_subscriptions add column backfill_from timestamptz;
alter table shopify_webhook_subscriptions add column backfilled_at timestamptz;
alter table shopify_webhook_subscriptions add column backfilled_records integer;
alter table shopify_webhook_subscriptions add column backfill_note text;

-- A delivery written by a back-fill (not sent by Shopify): applied like any other, counted apart.
alter table shopify_webhook_inbox add column backfill boolean not null default false;
