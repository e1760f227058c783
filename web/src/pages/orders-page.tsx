import { Badge } from '../components/badge.tsx';
import { ResourceList, type Column } from '../components/resource-list.tsx';
import { formatDate, formatMoney, humanize } from '../format.ts';
import { orderUnits } from '../orders/order-units.ts';
import { PAYMENT_TONE } from '../records/tones.ts';
import type { Order } from '../types.ts';

function state(o: Order) {
  if (o.cancelled_at) return <Badge tone="critical">cancelled</Badge>;
  if (o.closed_at) return <Badge tone="neutral">closed</Badge>;
  return <Badge tone="info">open</Badge>;
}

const columns: Column<Order>[] = [
  { header: 'Order', cell: (o) => <span className="cell-main">{o.name}</span> },
  { header: 'Date', cell: (o) => formatDate(o.processed_at) },
  { header: 'Customer', cell: (o) => o.email ?? '—' },
  { header: 'State', cell: state },
  {
    header: 'Payment',
    cell: (o) => (
      <Badge tone={PAYMENT_TONE[o.financial_status] ?? 'neutral'}>{humanize(o.financial_status)}</Badge>
    ),
  },
  { header: 'Fulfilment', cell: (o) => humanize(o.fulfillment_status) },
  { header: 'Units', cell: orderUnits, className: 'num' },
  { header: 'Total', cell: (o) => formatMoney(o.total_price, o.currency), className: 'num' },
];

export function OrdersPage() {
  return (
    <ResourceList<Order>
      title="Orders"
      endpoint="/api/orders"
      singular="order"
      noun="orders"
      searchHint="Order name or email"
      columns={columns}
      href={(r) => `/app/orders/${r.id}`}
    />
  );
}
