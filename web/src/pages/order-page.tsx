import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Badge } from '../components/badge.tsx';
import { Link } from '../components/link.tsx';
import { formatDate, formatMoney, humanize } from '../format.ts';
import { lineTotal } from '../orders/line-total.ts';
import { orderUnits } from '../orders/order-units.ts';
import { errorFor, fieldErrorsOf, saveFailureMessage, type FieldErrors } from '../records/field-errors.ts';
import { Section, TextArea, TextField } from '../records/fields.tsx';
import { tagsFromText, tagsToText } from '../records/tags.ts';
import { RecordFrame, RecordLoading, type SaveState } from '../records/record-frame.tsx';
import { SyncStatePanel } from '../records/sync-state-panel.tsx';
import { useRecord } from '../records/use-record.ts';
import { PAYMENT_TONE } from '../records/tones.ts';
import type { Order } from '../types.ts';

const LIST = { to: '/app/orders', label: 'Orders' };

interface OrderDraft {
  email: string;
  phone: string;
  note: string;
  tags: string;
}

const draftOf = (o: Order): OrderDraft => ({
  email: o.email ?? '',
  phone: o.phone ?? '',
  note: o.note,
  tags: tagsToText(o.tags),
});

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** The PATCH body: what differs from the order as loaded (the fields an order keeps editable). */
function orderUpdateBody(d: OrderDraft, o: Order): Record<string, unknown> {
  const now = { email: orNull(d.email), phone: orNull(d.phone), note: d.note, tags: tagsFromText(d.tags) };
  const was = { email: o.email, phone: o.phone, note: o.note, tags: o.tags };
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
  const [draft, setDraft] = useState<OrderDraft>(() => draftOf(order));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const [version, setVersion] = useState(0);
  useEffect(() => setDraft(draftOf(order)), [order]);
  const body = orderUpdateBody(draft, order);
  const set = (patch: Partial<OrderDraft>): void => setDraft((d) => ({ ...d, ...patch }));

  async function submit(): Promise<void> {
    if (Object.keys(body).length === 0) return setSave({ status: 'saved', message: 'Nothing to save.' });
    setErrors({});
    setSave({ status: 'saving' });
    try {
      onSaved(await api<Order>('PATCH', `/api/orders/${order.id}`, body));
      setVersion((v) => v + 1);
      setSave({ status: 'saved', message: 'Saved.' });
    } catch (err) {
      const known = fieldErrorsOf(err);
      setErrors(known);
      setSave({ status: 'failed', message: saveFailureMessage(err, known) });
    }
  }

  const money = (amount: string): string => formatMoney(amount, order.currency);
  return (
    <RecordFrame
      list={LIST}
      title={`Order ${order.name}`}
      badges={<OrderState o={order} />}
      save={save}
      dirty={Object.keys(body).length > 0}
      onSubmit={() => void submit()}
      onDiscard={() => (setDraft(draftOf(order)), setErrors({}), setSave({ status: 'idle' }))}
      aside={<SyncStatePanel entity="order" localId={order.id} noun="order" version={version} />}
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
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col" className="num">
                  Units
                </th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
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
          <TextField
            id="email"
            label="Email"
            type="email"
            value={draft.email}
            error={errorFor(errors, 'email')}
            onChange={(email) => set({ email })}
          />
          <TextField
            id="phone"
            label="Phone"
            type="tel"
            value={draft.phone}
            error={errorFor(errors, 'phone')}
            onChange={(phone) => set({ phone })}
          />
        </div>
        <TextField
          id="tags"
          label="Tags"
          hint="Separated by commas, e.g. gift, priority"
          value={draft.tags}
          error={errorFor(errors, 'tags')}
          onChange={(tags) => set({ tags })}
        />
        <TextArea
          id="note"
          label="Note"
          value={draft.note}
          error={errorFor(errors, 'note')}
          onChange={(note) => set({ note })}
        />
      </Section>
    </RecordFrame>
  );
}
