/** App › Shopify's sections, each at its own address. */
export type ShopifyTab = 'overview' | 'health' | 'history' | 'dead-letters';

export const TABS: readonly { tab: ShopifyTab; path: string; label: string }[] = [
  { tab: 'overview', path: '/app/shopify', label: 'Overview' },
  { tab: 'health', path: '/app/shopify/health', label: 'Sync Health' },
  { tab: 'history', path: '/app/shopify/history', label: 'Sync History' },
  { tab: 'dead-letters', path: '/app/shopify/dead-letters', label: 'Dead letters' },
];

/** The tab a path under /app/shopify belongs to (a dead letter's own page is under its tab); null: none. */
export function tabOf(path: string): ShopifyTab | null {
  const trimmed = path.replace(/\/+$/, '') || '/';
  if (trimmed === '/app/shopify') return 'overview';
  const found = TABS.find(
    (t) => t.tab !== 'overview' && (trimmed === t.path || trimmed.startsWith(`${t.path}/`)),
  );
  return found?.tab ?? null;
}
