import { Link } from '../components/link.tsx';
import { TABS, type ShopifyTab } from './shopify-tabs-model.ts';

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
