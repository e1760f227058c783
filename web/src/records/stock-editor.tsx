import type { InventoryLevel, Location, Product } from '../types.ts';
import type { FieldErrors } from './field-errors.ts';
import { SelectField } from './fields.tsx';
import { STOCK_REASONS, stockKey } from './stock-model.ts';

const variantName = (p: Product, id: string): string => {
  const v = p.variants.find((x) => x.id === id);
  if (!v) return 'Variant';
  const options = v.option_values.map((o) => o.value).join(' / ');
  return options || v.sku || 'Default';
};

interface Props {
  product: Product;
  locations: readonly Location[];
  levels: ReadonlyMap<string, InventoryLevel>;
  edits: Readonly<Record<string, string>>;
  reason: string;
  errors: FieldErrors;
  onEdit: (key: string, value: string) => void;
  onReason: (reason: string) => void;
}

/** Available and on hand per variant and location; "available" is editable and saved as an adjustment. */
export function StockEditor({ product, locations, levels, edits, reason, errors, onEdit, onReason }: Props) {
  if (locations.length === 0)
    return <p className="muted">No locations yet: stock is kept per location, so add one first.</p>;
  return (
    <>
      <div className="table-wrap">
        <table className="table stock-table">
          <caption className="visually-hidden">Stock per variant and location</caption>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col">Location</th>
              <th scope="col" className="num">
                On hand
              </th>
              <th scope="col" className="num">
                Available
              </th>
            </tr>
          </thead>
          <tbody>
            {product.variants.flatMap((v) =>
              locations.map((l) => {
                const key = stockKey(v.id, l.id);
                const level = levels.get(key);
                const error = errors[`stock.${key}`];
                const name = variantName(product, v.id);
                return (
                  <tr key={key}>
                    <th scope="row">
                      <span className="cell-main">{name}</span>
                      {v.sku ? <span className="cell-sub">{v.sku}</span> : null}
                    </th>
                    <td>{l.name}</td>
                    <td className="num">{level ? level.on_hand : '—'}</td>
                    <td className="num">
                      <input
                        className="stock-input"
                        type="number"
                        step={1}
                        inputMode="numeric"
                        aria-label={`Available: ${name} at ${l.name}`}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? `stock-${key}-error` : undefined}
                        value={edits[key] ?? String(level?.available ?? 0)}
                        onChange={(e) => onEdit(key, e.target.value)}
                      />
                      {error ? (
                        <p className="field-error" id={`stock-${key}-error`}>
                          {error}
                        </p>
                      ) : null}
                    </td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>
      <SelectField
        id="stock-reason"
        label="Reason for stock changes"
        className="stock-reason"
        value={reason}
        options={STOCK_REASONS}
        onChange={onReason}
      />
    </>
  );
}
