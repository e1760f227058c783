import { useEffect } from 'react';
import { useLocation } from '../router.ts';
import { DeadLettersTab } from '../shopify/dead-letters.tsx';
import { OverviewTab } from '../shopify/overview-tab.tsx';
import { ShopifyTabs } from '../shopify/shopify-tabs.tsx';
import { TABS, tabOf } from '../shopify/shopify-tabs-model.ts';
import { SyncHealthTab } from '../shopify/sync-health.tsx';
import { SyncHistoryTab } from '../shopify/sync-history.tsx';

function Tab({ tab }: { tab: ReturnType<typeof tabOf> }) {
  switch (tab) {
    case 'overview':
      return <OverviewTab />;
    case 'health':
      return <SyncHealthTab />;
    case 'history':
      return <SyncHistoryTab />;
    case 'dead-letters':
      return <DeadLettersTab />;
    default:
      return (
        <div className="alert alert-warning" role="alert">
          <strong className="alert-title">No such section.</strong>
          <span className="alert-message">
            App › Shopify has Overview, Sync Health, Sync History and Dead letters.
          </span>
        </div>
      );
  }
}

/** App › Shopify: its sections as tabs, each at its own address under /app/shopify. */
export function ShopifyPage() {
  const { path } = useLocation();
  const tab = tabOf(path);
  const label = TABS.find((t) => t.tab === tab)?.label;
  useEffect(() => {
    document.title = `${label ? `${label} · ` : ''}Shopify · Retailos`;
  }, [label]);
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <p className="breadcrumb">App</p>
        <h1 id="page-title">Shopify</h1>
      </header>
      <ShopifyTabs current={tab} />
      <div className="tab-panel">
        <Tab tab={tab} />
      </div>
    </section>
  );
}
