import type { Address } from '../types.ts';
import { errorFor, type FieldErrors } from './field-errors.ts';
import { TextField } from './fields.tsx';

export type AddressKey = keyof Address;

/** The lines of an address form, in the order a merchant fills them. */
const LINES: { key: AddressKey; label: string; autoComplete: string; wide?: boolean }[] = [
  { key: 'first_name', label: 'First name', autoComplete: 'given-name' },
  { key: 'last_name', label: 'Last name', autoComplete: 'family-name' },
  { key: 'company', label: 'Company', autoComplete: 'organization', wide: true },
  { key: 'address1', label: 'Address', autoComplete: 'address-line1', wide: true },
  { key: 'address2', label: 'Apartment, suite, etc.', autoComplete: 'address-line2', wide: true },
  { key: 'city', label: 'City', autoComplete: 'address-level2' },
  { key: 'province', label: 'Province or state', autoComplete: 'address-level1' },
  { key: 'zip', label: 'Postal code', autoComplete: 'postal-code' },
  { key: 'country', label: 'Country', autoComplete: 'country-name' },
  { key: 'country_code', label: 'Country code', autoComplete: 'country' },
  { key: 'phone', label: 'Phone', autoComplete: 'tel' },
];

/** One address's lines, for the address at `path` (e.g. addresses.0) of the form. */
export function AddressFields({
  idPrefix,
  path,
  value,
  errors,
  onChange,
}: {
  idPrefix: string;
  path: string;
  value: Address;
  errors: FieldErrors;
  onChange: (a: Address) => void;
}) {
  return (
    <div className="field-grid">
      {LINES.map((l) => (
        <TextField
          key={l.key}
          id={`${idPrefix}-${l.key}`}
          label={l.label}
          className={l.wide ? 'field-wide' : undefined}
          autoComplete={l.autoComplete}
          value={value[l.key] ?? ''}
          error={errorFor(errors, `${path}.${l.key}`)}
          onChange={(v) => onChange({ ...value, [l.key]: v })}
        />
      ))}
    </div>
  );
}

/** "Ada Lovelace, 12 Rue X, Lyon" — an address in one line, for a legend. */
export function addressLine(a: Address): string {
  const name = [a.first_name, a.last_name].filter(Boolean).join(' ');
  return [name, a.address1, a.city].filter((x) => x && x.trim()).join(', ');
}
