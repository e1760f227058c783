import { describe, expect, it } from 'vitest';
import { actionOf, fieldLabel, shown } from '../../web/src/shopify/history-actions-model.ts';

describe('Revert / Redo buttons, without the page', () => {
  it.each([
    [{ id: 1, origin: 'webhook', outcome: 'applied', action: 'update', entity: 'product' }, 'revert'],
    [{ id: 2, origin: 'push', outcome: 'merged', action: 'update', entity: 'customer' }, 'revert'],
    [{ id: 3, origin: 'revert', outcome: 'applied', action: 'update', entity: 'product' }, 'redo'],
    [{ id: 4, origin: 'redo', outcome: 'applied', action: 'update', entity: 'product' }, 'revert'],
    [{ id: 5, origin: 'push', outcome: 'failed', action: 'update', entity: 'product' }, null],
    [{ id: 6, origin: 'import', outcome: 'applied', action: 'create', entity: 'product' }, null],
    [{ id: 7, origin: 'webhook', outcome: 'applied', action: 'create', entity: 'order' }, null],
    [{ id: 8, origin: 'webhook', outcome: 'applied', action: 'update', entity: 'location' }, null],
  ])('entry %o offers %s', (entry, action) => {
    expect(actionOf(entry)).toBe(action);
  });

  it('names fields in words', () => {
    expect(fieldLabel('variants[SKU-1].compareAtPrice')).toBe('Compare at price of variant SKU-1');
    expect(fieldLabel('variants[#2]')).toBe('Variant #2');
    expect(fieldLabel('onHand')).toBe('On hand');
    expect(fieldLabel('title')).toBe('Title');
  });

  it('shows values in words', () => {
    expect(shown(null)).toBe('—');
    expect(shown(['sale', 'summer'])).toBe('sale, summer');
    expect(shown('12.50')).toBe('12.50');
    expect(shown(7)).toBe('7');
  });
});
