import { Badge } from '../components/badge.tsx';
import { ResourceList, type Column } from '../components/resource-list.tsx';
import { formatDate } from '../format.ts';
import { PRODUCT_STATUS_TONE as STATUS_TONE } from '../records/tones.ts';
import type { Product } from '../types.ts';

function priceRange(p: Product): string {
  const prices = p.variants.map((v) => v.price);
  if (prices.length === 0) return '—';
  const sorted = [...prices].sort((a, b) => Number(a) - Number(b));
  const low = sorted[0] as string;
  const high = sorted[sorted.length - 1] as string;
  return low === high ? low : `${low} – ${high}`;
}

function skus(p: Product): string {
  const all = p.variants.map((v) => v.sku).filter((s): s is string => !!s);
  if (all.length === 0) return '—';
  return all.length > 2 ? `${all.slice(0, 2).join(', ')} +${all.length - 2}` : all.join(', ');
}

const columns: Column<Product>[] = [
  {
    header: 'Product',
    cell: (p) => (
      <>
        <span className="cell-main">{p.title}</span>
        <span className="cell-sub">{p.handle}</span>
      </>
    ),
  },
  { header: 'Status', cell: (p) => <Badge tone={STATUS_TONE[p.status] ?? 'neutral'}>{p.status}</Badge> },
  { header: 'SKU', cell: skus },
  { header: 'Variants', cell: (p) => p.variants.length, className: 'num' },
  { header: 'Price', cell: priceRange, className: 'num' },
  { header: 'Vendor', cell: (p) => p.vendor || '—' },
  { header: 'Updated', cell: (p) => formatDate(p.updated_at) },
];

export function ProductsPage() {
  return (
    <ResourceList<Product>
      title="Products"
      endpoint="/api/products"
      singular="product"
      noun="products"
      searchHint="Title, handle, vendor or SKU"
      columns={columns}
      href={(r) => `/app/products/${r.id}`}
      create={{ to: '/app/products/new', label: 'New product' }}
    />
  );
}
