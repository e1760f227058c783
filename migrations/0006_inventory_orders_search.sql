-- Indexes for the core's lists: inventory levels newest first, orders and customers by exact email.
create index inventory_levels_page_idx on inventory_levels (tenant_id, created_at desc, id desc);
create index orders_email_idx on orders (tenant_id, lower(email));
