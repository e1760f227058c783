import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Badge } from '../components/badge.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { navigate } from '../router.ts';
import { errorFor, fieldErrorsOf, saveFailureMessage, type FieldErrors } from '../records/field-errors.ts';
import { Section, SelectField, TextField } from '../records/fields.tsx';
import {
  checkDraft,
  createBody,
  draftOf,
  NEW_PRODUCT,
  updateBody,
  type ProductDraft,
} from '../records/product-draft.ts';
import { RecordFrame, RecordLoading, type SaveState } from '../records/record-frame.tsx';
import { StockEditor } from '../records/stock-editor.tsx';
import { stockAdjustments } from '../records/stock-model.ts';
import { SyncStatePanel } from '../records/sync-state-panel.tsx';
import { useRecord } from '../records/use-record.ts';
import { useStock } from '../records/use-stock.ts';
import { PRODUCT_STATUS_TONE } from '../records/tones.ts';
import type { InventoryLevel, Product } from '../types.ts';
import { OptionsEditor, VariantsEditor } from '../records/variants-editor.tsx';

const LIST = { to: '/app/products', label: 'Products' };
const STATUSES = [
  { value: 'active', label: 'Active' },
  { value: 'draft', label: 'Draft' },
  { value: 'archived', label: 'Archived' },
];

/** /app/products/:id, or /app/products/new when id is null. */
export function ProductPage({ id }: { id: string | null }) {
  const { state, set } = useRecord<Product>(id ? `/api/products/${id}` : null);
  if (id === null) return <ProductForm product={null} onSaved={() => undefined} />;
  if (state.status !== 'ready') return <RecordLoading state={state} noun="product" list={LIST} />;
  return <ProductForm key={state.data.id} product={state.data} onSaved={set} />;
}

function ProductForm({ product, onSaved }: { product: Product | null; onSaved: (p: Product) => void }) {
  const [draft, setDraft] = useState<ProductDraft>(() => (product ? draftOf(product) : NEW_PRODUCT));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('correction');
  const [version, setVersion] = useState(0);
  const { stock, error: stockError, reload: reloadStock } = useStock(product);

  useEffect(() => {
    if (product) setDraft(draftOf(product));
  }, [product]);

  const body = product ? updateBody(draft, product) : createBody(draft);
  const dirty = product ? Object.keys(body).length > 0 || Object.keys(edits).length > 0 : true;

  const fail = (err: unknown, known: FieldErrors = fieldErrorsOf(err)): void => {
    setErrors(known);
    setSave({ status: 'failed', message: saveFailureMessage(err, known) });
  };

  async function saveStock(levels: ReadonlyMap<string, InventoryLevel>): Promise<number> {
    const { adjustments, errors: bad } = stockAdjustments(edits, levels);
    if (Object.keys(bad).length > 0) throw Object.assign(new Error('stock'), { fields: bad });
    for (const a of adjustments) {
      await api('POST', '/api/inventory/adjust', { ...a, reason: reasonText(reason) });
      setEdits((e) => {
        const { [`${a.variant_id}.${a.location_id}`]: _done, ...rest } = e;
        return rest;
      });
    }
    return adjustments.length;
  }

  async function submit(): Promise<void> {
    const local = checkDraft(draft);
    if (Object.keys(local).length > 0) return fail(null, local);
    setErrors({});
    setSave({ status: 'saving' });
    try {
      if (!product) {
        const created = await api<Product>('POST', '/api/products', body);
        navigate(`/app/products/${created.id}`, { replace: true });
        return;
      }
      let saved = product;
      if (Object.keys(body).length > 0)
        saved = await api<Product>('PATCH', `/api/products/${product.id}`, {
          ...body,
          version: product.version,
        });
      const adjusted = stock ? await saveStock(stock.levels) : 0;
      if (saved !== product) onSaved(saved);
      if (adjusted > 0) reloadStock();
      setVersion((v) => v + 1);
      setSave({
        status: 'saved',
        message: saved === product && adjusted === 0 ? 'Nothing to save.' : 'Saved.',
      });
    } catch (err) {
      const fields = (err as { fields?: FieldErrors }).fields;
      fail(err, fields ?? fieldErrorsOf(err));
    }
  }

  const discard = (): void => {
    setDraft(product ? draftOf(product) : NEW_PRODUCT);
    setEdits({});
    setErrors({});
    setSave({ status: 'idle' });
  };
  const set = (patch: Partial<ProductDraft>): void => setDraft((d) => ({ ...d, ...patch }));

  return (
    <RecordFrame
      list={LIST}
      title={product ? product.title || 'Untitled product' : 'New product'}
      badges={
        product ? (
          <Badge tone={PRODUCT_STATUS_TONE[product.status] ?? 'neutral'}>{product.status}</Badge>
        ) : null
      }
      save={save}
      dirty={dirty}
      onSubmit={() => void submit()}
      onDiscard={discard}
      saveLabel={product ? 'Save' : 'Create product'}
      aside={
        product ? (
          <SyncStatePanel entity="product" localId={product.id} noun="product" version={version} />
        ) : null
      }
    >
      <Section title="Details" id="details-title">
        <TextField
          id="title"
          label="Title"
          value={draft.title}
          error={errorFor(errors, 'title')}
          required
          onChange={(title) => set({ title })}
        />
        <div className="field-grid">
          <SelectField
            id="status"
            label="Status"
            value={draft.status}
            options={STATUSES}
            error={errorFor(errors, 'status')}
            onChange={(status) => set({ status })}
          />
          <TextField
            id="vendor"
            label="Vendor"
            value={draft.vendor}
            error={errorFor(errors, 'vendor')}
            onChange={(vendor) => set({ vendor })}
          />
          <TextField
            id="product-type"
            label="Product type"
            value={draft.productType}
            error={errorFor(errors, 'product_type')}
            onChange={(productType) => set({ productType })}
          />
        </div>
        <TextField
          id="tags"
          label="Tags"
          hint="Separated by commas, e.g. summer, linen"
          value={draft.tags}
          error={errorFor(errors, 'tags')}
          onChange={(tags) => set({ tags })}
        />
        {product ? <p className="hint">Handle: {product.handle}</p> : null}
      </Section>
      <Section title="Options" id="options-title">
        <OptionsEditor draft={draft} errors={errors} onChange={setDraft} />
      </Section>
      <Section title="Variants" id="variants-title">
        <VariantsEditor draft={draft} errors={errors} onChange={setDraft} />
      </Section>
      {product ? (
        <Section title="Stock" id="stock-title">
          <ErrorMessage title="Could not load the stock" error={stockError} />
          {stock ? (
            <StockEditor
              product={product}
              locations={stock.locations}
              levels={stock.levels}
              edits={edits}
              reason={reason}
              errors={errors}
              onEdit={(key, value) => setEdits((e) => ({ ...e, [key]: value }))}
              onReason={setReason}
            />
          ) : stockError ? null : (
            <p className="muted">Loading stock…</p>
          )}
          <p className="hint">
            A change is saved as an adjustment of the number shown, so sales counted meanwhile are kept.
          </p>
        </Section>
      ) : null}
    </RecordFrame>
  );
}

const reasonText = (r: string): string => `${r} (product page)`;
