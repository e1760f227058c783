/** unit × quantity on the decimal string, in cents as BigInt: exact, never through a float. */
export function lineTotal(unitPrice: string, quantity: number): string {
  const [whole = '0', frac = ''] = unitPrice.split('.');
  const scale = Math.max(2, frac.length);
  const units = BigInt(whole + frac.padEnd(scale, '0')) * BigInt(quantity);
  const s = units.toString().padStart(scale + 1, '0');
  return `${s.slice(0, -scale)}.${s.slice(-scale)}`;
}
