import { isCountryCode } from './country-codes.ts';
import type { FieldProblem } from './customer-input.ts';
import { SHIPPING_ADDRESS_FIELDS, type ShippingAddress } from './entities.ts';

/** A shipping address as a caller gives it: any line may be missing, null or blank. */
export type ShippingAddressLines = { [K in keyof ShippingAddress]?: string | null | undefined };

const CODES: readonly (keyof ShippingAddress)[] = ['provinceCode', 'countryCode'];

/**
 * The canonical form of an address: lines trimmed, blank ones left out, the province and country codes
 * upper-cased; null when no line is left (an order without a shipping address).
 */
export function shippingAddressOf(lines: ShippingAddressLines | null | undefined): ShippingAddress | null {
  if (!lines) return null;
  const out: ShippingAddress = {};
  for (const key of SHIPPING_ADDRESS_FIELDS) {
    const raw = lines[key];
    const v = typeof raw === 'string' ? raw.trim() : '';
    if (v !== '') out[key] = CODES.includes(key) ? v.toUpperCase() : v;
  }
  return Object.keys(out).length === 0 ? null : out;
}

/** Why a canonical address cannot go to Shopify (field paths under `shippingAddress`), if it cannot. */
export function shippingAddressProblems(a: ShippingAddress): FieldProblem[] {
  if (a.countryCode === undefined || isCountryCode(a.countryCode)) return [];
  return [
    {
      field: 'shippingAddress.countryCode',
      message: `"${a.countryCode}" is not a country code; use two letters such as FR or US`,
    },
  ];
}
