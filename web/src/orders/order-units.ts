/** The units an order holds: the sum of its line items' quantities (not the number of lines). */
export function orderUnits(o: { line_items: readonly { quantity: number }[] }): number {
  return o.line_items.reduce((n, li) => n + li.quantity, 0);
}
