-- Every verified webhook delivery, stored before we answer 200 (keyed by Shopify's webhook id, so a
-- duplicate delivery is recognised and does no work), then applied by a job.
create table shopify_webhook_inbox (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  webhook_id text not null,
  event_id text,
  topic text not null,
  shop text not null,
  api_version text,
  triggered_at timestamptz,
  received_at timestamptz not null,
  body jsonb not null,
  state text not null default 'pending' check (state in ('pending', 'applied', 'ignored', 'failed')),
  attempts integer not null default 0,
  last_error text,
  applied_at timestamptz
);
create unique index shopify_webhook_inbox_webhook_key on shopify_webhook_inbox (webhook_id);
create index shopify_webhook_inbox_pending_idx on shopify_webhook_inbox (tenant_id, state, id);
create index shopify_webhook_inbox_topic_idx on shopify_webhook_inbox (tenant_id, topic, received_at);

-- Privacy requests from Shopify (customers/data_request, customers/redact, shop/redact): what was
-- asked, what we did, when. Kept for the merchant's records.
create table shopify_privacy_requests (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants(id),
  topic text not null,
  shopify_customer_id text,
  customer_email text,
  action_taken text not null,
  received_at timestamptz not null
);
