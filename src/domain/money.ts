/** Money and quantities as decimal strings; never floats. */
const DECIMAL = /^(0|[1-9]\d{0,14})(\.\d{1,4})?$/;

export function isMoney(value: string): boolean {
  return DECIMAL.test(value);
}

/**
 * Canonical money string: no leading zeros, at least two decimals, trailing zeros past the second
 * removed ("12.5" → "12.50", "3" → "3.00", "1.2300" → "1.23", "0.125" stays).
 */
export function normaliseMoney(value: string): string {
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
