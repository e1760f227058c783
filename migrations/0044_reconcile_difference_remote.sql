-- The record as the reconciliation's export read it (its JSONL lines: the root and its children), kept
-- beside each difference Shopify holds. A repair then reads only `id updatedAt` of the record again: an
-- `updatedAt` still the export's (and older than the export itself, so no edit in the same second can
-- hide behind it) means Shopify still holds this very record, and the repair uses it instead of reading
-- it whole again (an order's full read is ~20 points with its line items, its `updatedAt` 1).
alter table shopify_reconcile_differences add column remote jsonb;
