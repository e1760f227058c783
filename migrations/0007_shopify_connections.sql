-- One Shopify connection per tenant; its tokens are sealed (AES-256-GCM) and never stored in clear.
create table shopify_connections (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null unique references tenants(id),
  shop text not null,
  state text not null check (state in ('disconnected', 'connecting', 'importing', 'syncing', 'error_auth', 'error')),
  state_reason text,
  access_token_sealed text,
  refresh_token_sealed text,
  access_expires_at timestamptz,
  refresh_expires_at timestamptz,
  requested_scopes text[] not null default '{}',
  granted_scopes text[] not null default '{}',
  api_version text not null,
  connected_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
-- A shop can be actively connected to one tenant only.
create unique index shopify_connections_live_shop_key on shopify_connections (shop) where state <> 'disconnected';

-- OAuth state nonces: single use, short-lived, bound to the user who started the connect.
create table shopify_oauth_states (
  nonce_hash text primary key,
  tenant_id uuid not null references tenants(id),
  user_id uuid not null references users(id) on delete cascade,
  shop text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);

-- Webhook subscriptions we registered, so Disconnect can delete them and health can compare.
create table shopify_webhook_subscriptions (
  tenant_id uuid not null references tenants(id),
  topic text not null,
  subscription_gid text not null,
  callback_url text not null,
  api_version text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, topic)
);
