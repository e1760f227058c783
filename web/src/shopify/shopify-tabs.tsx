import { Link } from '../components/link.tsx';

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

/**
 * App › Shopify's tabs: each its own address (links, so Back, a new tab and a shared link all work),
 * the current one marked with aria-current. Scrolls sideways on a narrow screen instead of wrapping.
 */
export function ShopifyTabs({ current }: { current: ShopifyTab | null }) {
  return (
    <nav className="tabs" aria-label="Shopify sections">
      <ul>
        {TABS.map((t) => (
          <li key={t.tab}>
            <Link to={t.path} className="tab" aria-current={t.tab === current ? 'page' : undefined}>
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
