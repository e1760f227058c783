/**
 * The kinds of record Retailos keeps in sync with Shopify: the one list every other list of kinds is
 * derived from (changes, sync base, id map, Sync History, webhooks, the API's enums). Each kind has its
 * module in `src/sync/entities/` (the registry there is typed over this list, so a kind without a module
 * does not compile). Adding one: a name here, its module, and its migration.
 */
export const SYNCED_KINDS = ['product', 'customer', 'order', 'inventory_level', 'location'] as const;
export type SyncedKind = (typeof SYNCED_KINDS)[number];

/** Kinds whose Retailos changes are pushed to Shopify (locations are Shopify's: read, never pushed). */
export const PUSHED_KINDS = [
  'product',
  'customer',
  'order',
  'inventory_level',
] as const satisfies readonly SyncedKind[];
export type PushedKind = (typeof PUSHED_KINDS)[number];

/** Kinds synced by snapshot merge (inventory levels are counted by deltas instead). */
export const MERGED_KINDS = ['product', 'customer', 'order'] as const satisfies readonly PushedKind[];
export type MergedKind = (typeof MERGED_KINDS)[number];

/** Ids Shopify gives below a synced record: a variant, and its inventory item (which maps to the variant). */
export type SubRecordKind = 'variant' | 'inventory_item';
