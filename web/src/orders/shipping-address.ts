import type { ShippingAddress } from '../types.ts';

export type ShippingKey = keyof ShippingAddress;

/** The lines of a shipping address, in the order a merchant fills them (the API's wire keys). */
export const SHIPPING_LINES: readonly {
  key: ShippingKey;
  label: string;
  autoComplete: string;
  wide?: boolean;
  hint?: string;
}[] = [
  { key: 'first_name', label: 'First name', autoComplete: 'shipping given-name' },
  { key: 'last_name', label: 'Last name', autoComplete: 'shipping family-name' },
  { key: 'company', label: 'Company', autoComplete: 'shipping organization', wide: true },
  { key: 'address1', label: 'Address', autoComplete: 'shipping address-line1', wide: true },
  { key: 'address2', label: 'Apartment, suite, etc.', autoComplete: 'shipping address-line2', wide: true },
  { key: 'city', label: 'City', autoComplete: 'shipping address-level2' },
  { key: 'zip', label: 'Postal code', autoComplete: 'shipping postal-code' },
  {
    key: 'province_code',
    label: 'Province or state code',
    autoComplete: 'off',
    hint: 'Where the country has them, e.g. ON or NSW.',
  },
  {
    key: 'country_code',
    label: 'Country code',
    autoComplete: 'shipping country',
    hint: 'Two letters, e.g. FR.',
  },
  { key: 'phone', label: 'Phone', autoComplete: 'shipping tel' },
];

/** An address as the form holds it: every line a string, blank when empty. */
export type ShippingDraft = Record<ShippingKey, string>;

export function shippingDraftOf(a: ShippingAddress | null): ShippingDraft {
  return Object.fromEntries(SHIPPING_LINES.map((l) => [l.key, a?.[l.key] ?? ''])) as ShippingDraft;
}

/** The address for the API: lines trimmed, blank ones left out, codes upper-cased; null when no line is left. */
export function shippingBody(d: ShippingDraft): ShippingAddress | null {
  const out: ShippingAddress = {};
  for (const { key } of SHIPPING_LINES) {
    const v = d[key].trim();
    if (v) out[key] = key === 'country_code' || key === 'province_code' ? v.toUpperCase() : v;
  }
  return Object.keys(out).length === 0 ? null : out;
}

const regions = new Intl.DisplayNames(undefined, { type: 'region', fallback: 'none' });

/** "France" for "FR"; undefined when the code names no country (or is not two letters). */
export function countryName(code: string): string | undefined {
  const c = code.trim().toUpperCase();
  // Two letters are a well-formed region code, so `of` answers (undefined for one that names no region).
  return /^[A-Z]{2}$/.test(c) ? regions.of(c) : undefined;
}
