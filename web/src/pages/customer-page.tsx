import { useEffect, useState } from 'react';
import { api, query } from '../api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Link } from '../components/link.tsx';
import { formatDate, formatMoney, humanize } from '../format.ts';
import { orderUnits } from '../orders/order-units.ts';
import { navigate } from '../router.ts';
import { AddressFields, addressLine } from '../records/address-fields.tsx';
import {
  checkCustomer,
  customerBody,
  customerDraftOf,
  customerUpdateBody,
  NEW_CUSTOMER,
  type CustomerDraft,
} from '../records/customer-draft.ts';
import { EmailPhoneFields, TagsNoteFields } from '../records/contact-fields.tsx';
import { errorFor } from '../records/field-errors.ts';
import { Section, TextField } from '../records/fields.tsx';
import { RecordFrame, RecordLoading } from '../records/record-frame.tsx';
import { SyncStatePanel } from '../records/sync-state-panel.tsx';
import { useRecord } from '../records/use-record.ts';
import { useRecordForm } from '../records/use-record-form.ts';
import type { Customer, Order, Page } from '../types.ts';
import { TableHead } from '../components/table-head.tsx';

const LIST = { to: '/app/customers', label: 'Customers' };

export const customerName = (c: Pick<Customer, 'first_name' | 'last_name' | 'email'>): string =>
  `${c.first_name} ${c.last_name}`.trim() || c.email || '(no name)';

/** /app/customers/:id, or /app/customers/new when id is null. */
export function CustomerPage({ id }: { id: string | null }) {
  const { state, set } = useRecord<Customer>(id ? `/api/customers/${id}` : null);
  if (id === null) return <CustomerForm customer={null} onSaved={() => undefined} />;
  if (state.status !== 'ready') return <RecordLoading state={state} noun="customer" list={LIST} />;
  return <CustomerForm key={state.data.id} customer={state.data} onSaved={set} />;
}

function CustomerForm({ customer, onSaved }: { customer: Customer | null; onSaved: (c: Customer) => void }) {
  const form = useRecordForm(customer, (c) => (c ? customerDraftOf(c) : NEW_CUSTOMER));
  const { draft, errors, set } = form;
  const body = customer ? customerUpdateBody(draft, customer) : customerBody(draft);
  const dirty = customer ? Object.keys(body).length > 0 : true;

  async function submit(): Promise<void> {
    const local = checkCustomer(draft);
    if (Object.keys(local).length > 0) return form.fail(null, local);
    await form.run(async () => {
      if (!customer) {
        const created = await api<Customer>('POST', '/api/customers', body);
        navigate(`/app/customers/${created.id}`, { replace: true });
        return;
      }
      if (Object.keys(body).length === 0) return form.saved('Nothing to save.', false);
      onSaved(
        await api<Customer>('PATCH', `/api/customers/${customer.id}`, { ...body, version: customer.version }),
      );
      form.saved('Saved.');
    });
  }

  const setAddress = (i: number, a: CustomerDraft['addresses'][number]): void =>
    set({ addresses: draft.addresses.map((x, k) => (k === i ? a : x)) });

  return (
    <RecordFrame
      list={LIST}
      title={customer ? customerName(customer) : 'New customer'}
      save={form.save}
      dirty={dirty}
      onSubmit={() => void submit()}
      onDiscard={form.discard}
      saveLabel={customer ? 'Save' : 'Create customer'}
      aside={
        customer ? (
          <SyncStatePanel entity="customer" localId={customer.id} noun="customer" version={form.version} />
        ) : null
      }
    >
      <Section title="Contact" id="contact-title">
        <div className="field-grid field-grid-wide">
          <TextField
            id="first-name"
            label="First name"
            autoComplete="off"
            value={draft.firstName}
            error={errorFor(errors, 'first_name')}
            onChange={(firstName) => set({ firstName })}
          />
          <TextField
            id="last-name"
            label="Last name"
            value={draft.lastName}
            error={errorFor(errors, 'last_name')}
            onChange={(lastName) => set({ lastName })}
          />
          <EmailPhoneFields draft={draft} errors={errors} set={set} />
        </div>
        <TagsNoteFields
          draft={draft}
          errors={errors}
          set={set}
          tagsHint="Separated by commas, e.g. wholesale, vip"
        />
      </Section>
      <Section title="Addresses" id="addresses-title">
        {draft.addresses.length === 0 ? <p className="muted">No address.</p> : null}
        {draft.addresses.map((a, i) => (
          <fieldset key={i} className="variant">
            <legend>{`Address ${i + 1}${addressLine(a) ? `: ${addressLine(a)}` : ''}`}</legend>
            <AddressFields
              idPrefix={`address-${i}`}
              path={`addresses.${i}`}
              value={a}
              errors={errors}
              onChange={(x) => setAddress(i, x)}
            />
            <button
              type="button"
              className="button button-danger-outline"
              onClick={() => set({ addresses: draft.addresses.filter((_, k) => k !== i) })}
            >
              Remove address {i + 1}
            </button>
          </fieldset>
        ))}
        <button type="button" className="button" onClick={() => set({ addresses: [...draft.addresses, {}] })}>
          Add address
        </button>
      </Section>
      {customer ? <CustomerOrders customerId={customer.id} /> : null}
    </RecordFrame>
  );
}

/** The customer's orders, newest first, each a link to its page. */
function CustomerOrders({ customerId }: { customerId: string }) {
  const [orders, setOrders] = useState<Page<Order> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    api<Page<Order>>('GET', `/api/orders${query({ customer_id: customerId, limit: 50 })}`).then(
      (p) => live && setOrders(p),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [customerId]);
  return (
    <Section title="Orders" id="customer-orders-title">
      <ErrorMessage title="Could not load the orders" error={error} />
      {orders === null ? (
        error ? null : (
          <p className="muted">Loading orders…</p>
        )
      ) : orders.items.length === 0 ? (
        <p className="muted">No orders yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-labelledby="customer-orders-title">
            <TableHead columns={['Order', 'Date', 'Payment', 'Units', 'Total']} num={['Units', 'Total']} />
            <tbody>
              {orders.items.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    <Link to={`/app/orders/${o.id}`}>{o.name}</Link>
                  </th>
                  <td>{formatDate(o.processed_at)}</td>
                  <td>{humanize(o.financial_status)}</td>
                  <td className="num">{orderUnits(o)}</td>
                  <td className="num">{formatMoney(o.total_price, o.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {orders?.next_cursor ? <p className="hint">Showing the latest 50 orders.</p> : null}
    </Section>
  );
}
