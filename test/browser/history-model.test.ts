import { describe, expect, it } from 'vitest';
import {
  apiQuery,
  badRange,
  conflictRows,
  fieldLabel,
  fieldRows,
  filtersFrom,
  formatValue,
  historyHref,
} from '../../web/src/shopify/history-model.ts';

describe('Sync History filters in the URL', () => {
  it('round-trip through the address, unknown or malformed values left out', () => {
    const href = historyHref({ q: ' SKU-1 ', entity: 'product', origin: 'revert', from: '2026-03-01' });
    expect(href).toBe('/app/shopify/history?q=SKU-1&entity=product&origin=revert&from=2026-03-01');
    const params = new URL(href, 'http://x').searchParams;
    expect(filtersFrom(params)).toEqual({
      q: 'SKU-1',
      entity: 'product',
      direction: '',
      origin: 'revert',
      outcome: '',
      from: '2026-03-01',
      to: '',
      local_id: '',
    });
    const junk = new URLSearchParams('entity=variant&outcome=maybe&from=yesterday&local_id=x');
    expect(Object.values(filtersFrom(junk)).every((v) => v === '')).toBe(true);
    expect(historyHref({})).toBe('/app/shopify/history');
  });

  it('asks the API for whole days, the last day included', () => {
    const f = filtersFrom(new URLSearchParams('from=2026-03-01&to=2026-03-02'));
    const q = apiQuery(f);
    expect(new Date(q['from'] as string).getDate()).toBe(1);
    expect(new Date(q['to'] as string).getDate()).toBe(3);
    expect(new Date(q['to'] as string).getHours()).toBe(0);
    expect(badRange(f)).toBe(false);
    expect(badRange(filtersFrom(new URLSearchParams('from=2026-03-03&to=2026-03-02')))).toBe(true);
  });
});

describe('an entry’s before and after', () => {
  const before = {
    title: 'Blue shirt',
    tags: ['summer', 'cotton'],
    variants: [
      { sku: 'SKU-1', price: '10', compareAtPrice: null, optionValues: [{ name: 'Size', value: 'S' }] },
      { sku: 'SKU-2', price: '12.50', compareAtPrice: null, optionValues: [{ name: 'Size', value: 'M' }] },
    ],
  };
  const after = {
    ...before,
    variants: [
      // Reordered, and SKU-1's price changed: only the price is a change.
      { ...before.variants[1] },
      { ...before.variants[0], price: '11.00' },
    ],
  };

  it('lists the changed fields only, variants named by SKU, money with two decimals', () => {
    expect(fieldRows({ before, after }, false)).toEqual([
      {
        path: 'variants[SKU-1].price',
        label: 'Variants › SKU-1 › Price',
        before: '10.00',
        after: '11.00',
        changed: true,
      },
    ]);
  });

  it('lists every field on request, the changed ones marked', () => {
    const rows = fieldRows({ before, after }, true);
    expect(rows.filter((r) => r.changed).map((r) => r.path)).toEqual(['variants[SKU-1].price']);
    expect(rows.find((r) => r.path === 'tags')?.after).toBe('summer, cotton');
    expect(rows.find((r) => r.path === 'variants[SKU-2].optionValues')?.after).toBe('Size: M');
  });

  it('shows a creation against nothing, and quantities and order totals formatted', () => {
    const rows = fieldRows({ before: null, after: { available: 1200, on_hand: 1250 } }, false);
    expect(rows.map((r) => [r.label, r.before, r.after])).toEqual([
      ['Available', '—', new Intl.NumberFormat().format(1200)],
      ['On hand', '—', new Intl.NumberFormat().format(1250)],
    ]);
    expect(formatValue('totalPrice', '25.5', 'EUR')).toBe(
      new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(25.5),
    );
    expect(fieldLabel('compareAtPrice')).toBe('Compare at price');
  });

  it('shows an order’s shipping address line by line, and one added where there was none', () => {
    const lyon = { address1: '1 Quai Rambaud', city: 'Lyon', countryCode: 'FR', zip: '69002' };
    const rows = fieldRows(
      {
        before: { name: '#1001', shippingAddress: lyon },
        after: { name: '#1001', shippingAddress: { ...lyon, city: 'Paris', zip: '75001' } },
      },
      false,
    );
    expect(rows.map((r) => [r.label, r.before, r.after])).toEqual([
      ['Shipping address › City', 'Lyon', 'Paris'],
      ['Shipping address › Zip', '69002', '75001'],
    ]);
    const added = fieldRows(
      { before: { name: '#1001' }, after: { name: '#1001', shippingAddress: lyon } },
      false,
    );
    expect(added.map((r) => [r.label, r.before, r.after])).toEqual([
      ['Shipping address › Address1', '—', '1 Quai Rambaud'],
      ['Shipping address › City', '—', 'Lyon'],
      ['Shipping address › Country code', '—', 'FR'],
      ['Shipping address › Zip', '—', '69002'],
    ]);
  });

  it('names a conflict’s winner and the value that lost', () => {
    const rows = conflictRows([
      {
        path: 'note',
        base: 'a',
        local: 'ring first',
        remote: 'leave at door',
        winner: 'remote',
        lost: 'ring first',
      },
    ]);
    expect(rows).toEqual([{ label: 'Note', winner: 'Shopify', kept: 'leave at door', lost: 'ring first' }]);
  });
});
