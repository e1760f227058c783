import { errorFor, type FieldErrors } from './field-errors.ts';
import { TextField } from './fields.tsx';
import { emptyVariant, MAX_OPTIONS, type ProductDraft, type VariantDraft } from './product-draft.ts';

interface Props {
  draft: ProductDraft;
  errors: FieldErrors;
  onChange: (d: ProductDraft) => void;
}

const variantLabel = (d: ProductDraft, v: VariantDraft, i: number): string => {
  const values = v.values.filter((x) => x.trim());
  return values.length ? `Variant ${i + 1}: ${values.join(' / ')}` : `Variant ${i + 1}`;
};

/** Option names: add (up to three), rename, remove (its values go from every variant). */
export function OptionsEditor({ draft, errors, onChange }: Props) {
  const rename = (j: number, name: string): void =>
    onChange({ ...draft, options: draft.options.map((o, k) => (k === j ? name : o)) });
  const add = (): void =>
    onChange({
      ...draft,
      options: [...draft.options, ''],
      variants: draft.variants.map((v) => ({ ...v, values: [...v.values, ''] })),
    });
  const remove = (j: number): void =>
    onChange({
      ...draft,
      options: draft.options.filter((_, k) => k !== j),
      variants: draft.variants.map((v) => ({ ...v, values: v.values.filter((_, k) => k !== j) })),
    });
  return (
    <div className="options-editor">
      {draft.options.length === 0 ? (
        <p className="muted">No options: the product has one variant, or its variants differ by SKU only.</p>
      ) : null}
      {draft.options.map((name, j) => (
        <div key={j} className="option-row">
          <TextField
            id={`option-${j}`}
            label={`Option ${j + 1} name`}
            value={name}
            error={errors[`options.${j}`]}
            onChange={(v) => rename(j, v)}
          />
          <button
            type="button"
            className="button button-quiet"
            aria-label={`Remove option ${name.trim() || j + 1}`}
            onClick={() => remove(j)}
          >
            Remove
          </button>
        </div>
      ))}
      {draft.options.length < MAX_OPTIONS ? (
        <button type="button" className="button" onClick={add}>
          Add option
        </button>
      ) : null}
    </div>
  );
}

/** One fieldset per variant: its option values, price, compare-at price, SKU and barcode; add and remove. */
export function VariantsEditor({ draft, errors, onChange }: Props) {
  const update = (i: number, patch: Partial<VariantDraft>): void =>
    onChange({ ...draft, variants: draft.variants.map((v, k) => (k === i ? { ...v, ...patch } : v)) });
  const remove = (i: number): void => {
    const v = draft.variants[i];
    onChange({
      ...draft,
      variants: draft.variants.filter((_, k) => k !== i),
      removed: v?.id ? [...draft.removed, v.id] : draft.removed,
    });
  };
  const add = (): void => onChange({ ...draft, variants: [...draft.variants, emptyVariant(draft.options)] });
  const listError = errors['variants'];
  return (
    <div className="variants-editor">
      {listError ? (
        <p className="field-error variants-error" id="variants-error" role="alert">
          {listError}
        </p>
      ) : null}
      {draft.variants.map((v, i) => (
        <fieldset key={v.key} className="variant" aria-describedby={listError ? 'variants-error' : undefined}>
          <legend>{variantLabel(draft, v, i)}</legend>
          <div className="field-grid">
            {draft.options.map((name, j) => (
              <TextField
                key={j}
                id={`variant-${v.key}-option-${j}`}
                label={name.trim() || `Option ${j + 1}`}
                value={v.values[j] ?? ''}
                error={
                  errors[`variants.${i}.option_values.${j}.value`] ?? errors[`variants.${i}.option_values`]
                }
                onChange={(x) => update(i, { values: v.values.map((y, k) => (k === j ? x : y)) })}
              />
            ))}
            <TextField
              id={`variant-${v.key}-price`}
              label="Price"
              inputMode="decimal"
              value={v.price}
              error={errorFor(errors, `variants.${i}.price`)}
              onChange={(x) => update(i, { price: x })}
            />
            <TextField
              id={`variant-${v.key}-compare-at`}
              label="Compare-at price"
              inputMode="decimal"
              value={v.compareAt}
              error={errorFor(errors, `variants.${i}.compare_at_price`)}
              onChange={(x) => update(i, { compareAt: x })}
            />
            <TextField
              id={`variant-${v.key}-sku`}
              label="SKU"
              value={v.sku}
              error={errorFor(errors, `variants.${i}.sku`)}
              onChange={(x) => update(i, { sku: x })}
            />
            <TextField
              id={`variant-${v.key}-barcode`}
              label="Barcode"
              value={v.barcode}
              error={errorFor(errors, `variants.${i}.barcode`)}
              onChange={(x) => update(i, { barcode: x })}
            />
          </div>
          {draft.variants.length > 1 ? (
            <button
              type="button"
              className="button button-danger-outline"
              aria-label={`Remove ${variantLabel(draft, v, i)}`}
              onClick={() => remove(i)}
            >
              Remove variant
            </button>
          ) : null}
        </fieldset>
      ))}
      <button type="button" className="button" onClick={add}>
        Add variant
      </button>
    </div>
  );
}
