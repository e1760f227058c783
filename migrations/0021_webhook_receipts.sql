-- Every signed delivery's X-Shopify-Webhook-Id, whatever its shop and whether or not a workspace holds
-- that shop: the de-duplication key across all shops. The shop header is not signed (the HMAC covers
-- the body only, with the app's one secret), so a delivery re-sent under another shop's header must
-- find its id already taken, including when it was first seen for a shop nobody here connects (then
-- nothing is stored in the inbox but the id is still spent).
create table shopify_webhook_receipts (
  webhook_id text primary key,
  shop text not null,
  topic text not null,
  received_at timestamptz not null
);
insert into shopify_webhook_receipts (webhook_id, shop, topic, received_at)
  select webhook_id, shop, topic, received_at from shopify_webhook_inbox;
