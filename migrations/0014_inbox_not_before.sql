-- A delivery that cannot be applied yet (a stock level whose product has not arrived: Shopify does
-- not order its webhooks) waits in the inbox until this time instead of being dropped.
alter table shopify_webhook_inbox add column not_before timestamptz;
