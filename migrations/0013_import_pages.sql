-- The paginated import: per resource, how it is read (a bulk operation or page by page), the page
-- sizes chosen from Shopify's cost formula, and the checkpoint of a paged read: the cursor after the
-- last committed page (inventory levels are read location by location: the location cursor too).
alter table shopify_import_resources add column mode text check (mode in ('bulk', 'paged'));
alter table shopify_import_resources add column page_first integer;
alter table shopify_import_resources add column page_child_first integer;
alter table shopify_import_resources add column page_cursor text;
alter table shopify_import_resources add column page_outer_cursor text;
-- Shopify's last word on the cost bucket (throttleStatus and when it was seen), so a step that comes
-- back before the bucket has refilled waits on without asking.
alter table shopify_import_resources add column page_budget jsonb;
