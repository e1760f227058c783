import { api } from '../api.ts';
import { Badge } from '../components/badge.tsx';
import { Link } from '../components/link.tsx';
import { formatDate, formatMoney, humanize } from '../format.ts';
import { lineTotal } from '../orders/line-total.ts';
import { orderUnits } from '../orders/order-units.ts';
import { shippingBody, shippingDraftOf, type ShippingDraft } from '../orders/shipping-address.ts';
import { ShippingAddressSection } from '../orders/shipping-address-fields.tsx';
import { EmailPhoneFields, TagsNoteFields } from '../records/contact-fields.tsx';
import { Section } from '../records/fields.tsx';
import { tagsFromText, tagsToText } from '../records/tags.ts';
import { RecordFrame, RecordLoading } from '../records/record-frame.tsx';
import { SyncStatePanel } from '../records/sync-state-panel.tsx';
import { useRecord } from '../records/use-record.ts';
import { useRecordForm } from '../records/use-record-form.ts';
import { PAYMENT_TONE } from '../records/tones.ts';
import type { Order } from '../types.ts';
import { TableHead } from '../components/table-head.tsx';

const LIST = { to: '/app/orders', label: 'Orders' };

interface OrderDraft {
  email: string;
  phone: string;
  note: string;
  tags: string;
  shipping: ShippingDraft;
}

const draftOf = (o: Order): OrderDraft => ({
  email: o.email ?? '',
  phone: o.phone ?? '',
  note: o.note,
  tags: tagsToText(o.tags),
  shipping: shippingDraftOf(o.shipping_address),
});

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** The PATCH body: what differs from the order as loaded (the fields an order keeps editable). */
function orderUpdateBody(d: OrderDraft, o: Order): Record<string, unknown> {
  const now = {
    email: orNull(d.email),
    phone: orNull(d.phone),
    note: d.note,
    tags: tagsFromText(d.tags),
    shipping_address: shippingBody(d.shipping),
  };
  const was = {
    email: o.email,
    phone: o.phone,
    note: o.note,
    tags: o.tags,
    shipping_address: shippingBody(shippingDraftOf(o.shipping_address)),
  };
  return Object.fromEntries(
    Object.entries(now).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(was[k as keyof typeof was])),
  );
}

function OrderState({ o }: { o: Order }) {
  return (
    <>
      {o.cancelled_at ? (
        <Badge tone="critical">cancelled</Badge>
      ) : o.closed_at ? (
        <Badge tone="neutral">closed</Badge>
      ) : (
        <Badge tone="info">open</Badge>
      )}
      <Badge tone={PAYMENT_TONE[o.financial_status] ?? 'neutral'}>{humanize(o.financial_status)}</Badge>
      <Badge tone={o.fulfillment_status === 'fulfilled' ? 'success' : 'warning'}>
        {humanize(o.fulfillment_status)}
      </Badge>
    </>
  );
}

/** /app/orders/:id */
export function OrderPage({ id }: { id: string }) {
  const { state, set } = useRecord<Order>(`/api/orders/${id}`);
  if (state.status !== 'ready') return <RecordLoading state={state} noun="order" list={LIST} />;
  return <OrderForm key={state.data.id} order={state.data} onSaved={set} />;
}

function OrderForm({ order, onSaved }: { order: Order; onSaved: (o: Order) => void }) {
  const form = useRecordForm(order, draftOf);
  const { draft, errors, set } = form;
  const body = orderUpdateBody(draft, order);

  async function submit(): Promise<void> {
    if (Object.keys(body).length === 0) return form.saved('Nothing to save.', false);
    await form.run(async () => {
      onSaved(await api<Order>('PATCH', `/api/orders/${order.id}`, { ...body, version: order.version }));
      form.saved('Saved.');
    });
  }

  const money = (amount: string): string => formatMoney(amount, order.currency);
  return (
    <RecordFrame
      list={LIST}
      title={`Order ${order.name}`}
      badges={<OrderState o={order} />}
      save={form.save}
      dirty={Object.keys(body).length > 0}
      onSubmit={() => void submit()}
      onDiscard={form.discard}
      aside={<SyncStatePanel entity="order" localId={order.id} noun="order" version={form.version} />}
    >
      <Section title="Items" id="items-title">
        <p className="muted">
          Placed {formatDate(order.processed_at)}
          {order.customer_id ? (
            <>
              {' · '}
              <Link to={`/app/customers/${order.customer_id}`}>
                {order.email ? `Customer ${order.email}` : 'Customer'}
              </Link>
            </>
          ) : null}
        </p>
        <div className="table-wrap">
          <table className="table" aria-labelledby="items-title">
            <TableHead columns={['Item', 'Units', 'Price', 'Total']} num={['Units', 'Price', 'Total']} />
            <tbody>
              {order.line_items.map((li) => (
                <tr key={li.id}>
                  <th scope="row">
                    <span className="cell-main">{li.title}</span>
                    {li.sku ? <span className="cell-sub">SKU {li.sku}</span> : null}
                  </th>
                  <td className="num">{li.quantity}</td>
                  <td className="num">{money(li.unit_price)}</td>
                  <td className="num">{money(lineTotal(li.unit_price, li.quantity))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <dl className="totals">
          <div>
            <dt>Units</dt>
            <dd>{orderUnits(order)}</dd>
          </div>
          <div>
            <dt>Subtotal</dt>
            <dd>{money(order.subtotal_price)}</dd>
          </div>
          <div>
            <dt>Tax</dt>
            <dd>{money(order.total_tax)}</dd>
          </div>
          <div className="totals-total">
            <dt>Total</dt>
            <dd>{money(order.total_price)}</dd>
          </div>
        </dl>
        <p className="hint">Line items and totals are set when the order is placed and cannot be edited.</p>
      </Section>
      <Section title="Contact and notes" id="contact-title">
        <div className="field-grid field-grid-wide">
          <EmailPhoneFields draft={draft} errors={errors} set={set} />
        </div>
        <TagsNoteFields
          draft={draft}
          errors={errors}
          set={set}
          tagsHint="Separated by commas, e.g. gift, priority"
        />
      </Section>
      <ShippingAddressSection
        value={draft.shipping}
        errors={errors}
        onChange={(shipping) => set({ shipping })}
      />
    </RecordFrame>
  );
}
