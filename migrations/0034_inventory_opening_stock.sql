-- Opening stock on the level (decision 0007, item 3): a level the import creates takes Shopify's
-- quantities as its opening stock instead of an inventory_adjustments row per level, so the ledger
-- still adds up: available = opening_available + the sum of its adjustments' delta_available (and the
-- same for on_hand). Every other level starts at 0 (a level made by a Retailos write, or an imported
-- level from before this migration, whose opening row is in the ledger).
alter table inventory_levels
  add column opening_available integer not null default 0,
  add column opening_on_hand integer not null default 0;
