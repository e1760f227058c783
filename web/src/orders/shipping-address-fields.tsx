import { errorFor, type FieldErrors } from '../records/field-errors.ts';
import { Section, TextField } from '../records/fields.tsx';
import { countryName, SHIPPING_LINES, type ShippingDraft } from './shipping-address.ts';

/**
 * The order's shipping address, line by line, each with its own error (API paths
 * `shipping_address.<line>`); an error about the address as a whole shows above the lines.
 */
export function ShippingAddressSection({
  value,
  errors,
  onChange,
}: {
  value: ShippingDraft;
  errors: FieldErrors;
  onChange: (d: ShippingDraft) => void;
}) {
  const whole = errors['shipping_address'];
  const country = countryName(value.country_code);
  return (
    <Section title="Shipping address" id="shipping-title">
      {whole ? (
        <p className="field-error" id="shipping-error">
          {whole}
        </p>
      ) : null}
      <div className="field-grid">
        {SHIPPING_LINES.map((l) => (
          <TextField
            key={l.key}
            id={`shipping-${l.key}`}
            label={l.label}
            className={l.wide ? 'field-wide' : undefined}
            autoComplete={l.autoComplete}
            hint={l.key === 'country_code' && country ? `${country}.` : l.hint}
            value={value[l.key]}
            error={errorFor(errors, `shipping_address.${l.key}`)}
            onChange={(v) => onChange({ ...value, [l.key]: v })}
          />
        ))}
      </div>
      <p className="hint">Saved to Shopify with the order. An address can be changed but not removed.</p>
    </Section>
  );
}
