import { ResourceList, type Column } from '../components/resource-list.tsx';
import { formatDate } from '../format.ts';
import type { Customer } from '../types.ts';

const name = (c: Customer): string => `${c.first_name} ${c.last_name}`.trim() || '(no name)';

const columns: Column<Customer>[] = [
  { header: 'Name', cell: (c) => <span className="cell-main">{name(c)}</span> },
  { header: 'Email', cell: (c) => c.email ?? '—' },
  { header: 'Phone', cell: (c) => c.phone ?? '—' },
  { header: 'Tags', cell: (c) => (c.tags.length ? c.tags.join(', ') : '—') },
  { header: 'Updated', cell: (c) => formatDate(c.updated_at) },
];

export function CustomersPage() {
  return (
    <ResourceList<Customer>
      title="Customers"
      endpoint="/api/customers"
      singular="customer"
      noun="customers"
      searchHint="Name or email"
      columns={columns}
      href={(r) => `/app/customers/${r.id}`}
      create={{ to: '/app/customers/new', label: 'New customer' }}
    />
  );
}
