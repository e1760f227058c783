-- A shop is taken only by a completed grant: a connection that holds Shopify's tokens. Before, any
-- row not 'disconnected' took it, so a Connect that was never approved ('connecting') blocked the shop
-- for every other tenant. Connecting no longer writes the connection row at all (the attempt lives in
-- shopify_oauth_states until its callback), and a connection without tokens reserves nothing.
drop index shopify_connections_live_shop_key;
create unique index shopify_connections_live_shop_key on shopify_connections (shop)
  where access_token_sealed is not null;
