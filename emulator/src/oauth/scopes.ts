/** Access scopes the emulator knows (a subset of Shopify's list). */
const RESOURCES = [
  'products',
  'product_listings',
  'inventory',
  'locations',
  'orders',
  'all_orders',
  'draft_orders',
  'customers',
  'fulfillments',
  'assigned_fulfillment_orders',
  'merchant_managed_fulfillment_orders',
  'shipping',
  'price_rules',
  'discounts',
  'content',
  'themes',
  'script_tags',
  'files',
  'markets',
  'publications',
  'reports',
  'returns',
  'metaobjects',
  'translations',
  'locales',
  'gift_cards',
];

export const KNOWN_SCOPES: readonly string[] = RESOURCES.flatMap((r) =>
  r === 'all_orders' ? ['read_all_orders'] : [`read_${r}`, `write_${r}`],
);

export const ALL_SCOPES: readonly string[] = KNOWN_SCOPES;

/** Split Shopify's comma-separated scope list, trimming blanks. */
export function parseScopes(raw: string | undefined): string[] {
  if (!raw) return [];
  return [
    ...new Set(
      raw
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
  ];
}

export function unknownScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => !KNOWN_SCOPES.includes(s));
}

/** Does a granted scope list satisfy `needed`? `write_x` implies `read_x`. */
export function hasScope(granted: readonly string[], needed: string): boolean {
  if (granted.includes(needed)) return true;
  return needed.startsWith('read_') && granted.includes(`write_${needed.slice('read_'.length)}`);
}
