-- The periodic subscription check: when Shopify last confirmed each of our subscriptions, and when a
-- missing one (Shopify removes failing shop-specific subscriptions) was registered again.
alter table shopify_webhook_subscriptions add column last_checked_at timestamptz;
alter table shopify_webhook_subscriptions add column reregistered_at timestamptz;
create index shopify_webhook_inbox_received_idx on shopify_webhook_inbox (tenant_id, received_at);
