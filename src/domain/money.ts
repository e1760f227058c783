/** Money and quantities as decimal strings; never floats. */
const DECIMAL = /^(0|[1-9]\d{0,14})(\.\d{1,4})?$/;
const CANONICAL = /^(0|[1-9]\d{0,14})\.\d\d$/;

export function isMoney(value: string): boolean {
  return DECIMAL.test(value);
}

/**
 * Canonical money string: no leading zeros, at least two decimals, trailing zeros past the second
 * removed ("12.5" → "12.50", "3" → "3.00", "1.2300" → "1.23", "0.125" stays).
 */
export function normaliseMoney(value: string): string {
  // Already canonical (two decimals): most amounts read back from either side are. Every snapshot hash
  // of a compared order normalises its totals and line prices.
  if (CANONICAL.test(value)) return value;
  if (!isMoney(value)) throw new RangeError(`not a non-negative decimal amount: ${JSON.stringify(value)}`);
  const [whole = '0', frac = ''] = value.split('.');
  let f = frac.padEnd(2, '0');
  while (f.length > 2 && f.endsWith('0')) f = f.slice(0, -1);
  return `${whole}.${f}`;
}

/** Adds decimal strings exactly (scaled integers). */
export function addMoney(...values: string[]): string {
  const scale = 4;
  let total = 0n;
  for (const v of values) {
    const [whole = '0', frac = ''] = normaliseMoney(v).split('.');
    total += BigInt(whole) * 10n ** BigInt(scale) + BigInt(frac.padEnd(scale, '0'));
  }
  const s = total.toString().padStart(scale + 1, '0');
  return normaliseMoney(`${s.slice(0, -scale)}.${s.slice(-scale)}`);
}

export function multiplyMoney(value: string, quantity: number): string {
  if (!Number.isInteger(quantity) || quantity < 0) throw new RangeError(`bad quantity ${quantity}`);
  return addMoney('0', ...Array.from({ length: quantity }, () => value));
}

/**
 * What Shopify holds for a variant's price and compare-at price:
 * - less than 10^18: productVariantsBulkCreate / productVariantsBulkUpdate answer the userError
 *   "Price must be less than 1000000000000000000" (compareAtPrice: "must be less than
 *   1000000000000000000"), code INVALID_INPUT;
 * - to the cent: Shopify keeps prices with two decimals and rounds finer ones (a Shopify staff answer on
 *   community.shopify.dev, "Cart Transform Function: Preserving >2 Decimal Unit Price", 2025; Shopify's
 *   Decimal scalar itself is "arbitrary precision", the limit is the price's).
 * Retailos' own amounts stay below 10^15 (DECIMAL above), the tighter bound, so a price is sent as it is
 * and comes back the same. "999999999999999.9999" was accepted, then rounded by Shopify to
 * "1000000000000000.00", which Retailos cannot read back: dead letters both ways for ever.
 */
export const SHOPIFY_PRICE_DECIMALS = 2;
export const SHOPIFY_PRICE_BELOW = 10n ** 18n;

/** Why Shopify cannot hold `value` as a variant price exactly, or undefined when it can. */
export function shopifyPriceProblem(value: string): string | undefined {
  if (!isMoney(value)) return 'not a non-negative decimal amount such as "12.50"';
  const [whole = '0', frac = ''] = value.split('.');
  if (frac.replace(/0+$/, '').length > SHOPIFY_PRICE_DECIMALS) {
    return `Shopify keeps prices to ${SHOPIFY_PRICE_DECIMALS} decimals (it would round this one)`;
  }
  // Kept though isMoney's 15 digits are tighter today: the bound that matters if ours ever widens.
  if (BigInt(whole) >= SHOPIFY_PRICE_BELOW) return `must be less than ${SHOPIFY_PRICE_BELOW.toString()}`;
  return undefined;
}
