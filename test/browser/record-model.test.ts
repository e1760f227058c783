import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/src/api.ts';
import { lineTotal } from '../../web/src/orders/line-total.ts';
import { customerDraftOf, customerUpdateBody } from '../../web/src/records/customer-draft.ts';
import { errorFor, fieldErrorsOf, saveFailureMessage } from '../../web/src/records/field-errors.ts';
import { checkDraft, draftOf, emptyVariant, updateBody } from '../../web/src/records/product-draft.ts';
import { stockAdjustments } from '../../web/src/records/stock-model.ts';
import type { Customer, InventoryLevel, Product } from '../../web/src/types.ts';

const product: Product = {
  id: 'p1',
  title: 'Shirt',
  handle: 'shirt',
  vendor: 'Atelier',
  product_type: 'Shirts',
  status: 'active',
  tags: ['linen', 'summer'],
  updated_at: '2026-01-01T00:00:00.000Z',
  version: 3,
  variants: [
    {
      id: 'v1',
      sku: 'S-1',
      barcode: null,
      price: '10.00',
      compare_at_price: null,
      position: 1,
      option_values: [{ name: 'Size', value: 'S' }],
    },
    {
      id: 'v2',
      sku: 'S-2',
      barcode: null,
      price: '12.00',
      compare_at_price: '15.00',
      position: 2,
      option_values: [{ name: 'Size', value: 'M' }],
    },
  ],
};

describe('the product form’s PATCH body', () => {
  it('is empty when nothing changed', () => {
    expect(updateBody(draftOf(product), product)).toEqual({});
  });

  it('sends only the changed fields; a variant sends its id, its price and what was edited', () => {
    const d = draftOf(product);
    d.title = 'Linen shirt';
    d.variants[1] = { ...d.variants[1]!, price: '13.00', sku: 'S-2B' };
    expect(updateBody(d, product)).toEqual({
      title: 'Linen shirt',
      variants: [
        { id: 'v1', price: '10.00' },
        { id: 'v2', price: '13.00', sku: 'S-2B' },
      ],
    });
  });

  it('lists every kept variant, a new one in full, and names the removed ones', () => {
    const d = draftOf(product);
    d.variants = [d.variants[0]!, { ...emptyVariant(d.options), price: '9.00', values: ['L'] }];
    d.removed = ['v2'];
    expect(updateBody(d, product)).toEqual({
      variants: [
        { id: 'v1', price: '10.00' },
        {
          price: '9.00',
          compare_at_price: null,
          sku: null,
          barcode: null,
          option_values: [{ name: 'Size', value: 'L' }],
        },
      ],
      remove_variant_ids: ['v2'],
    });
  });

  it('refuses a variant without a value for an option, and an option named twice, before asking the API', () => {
    const d = draftOf(product);
    d.variants.push(emptyVariant(d.options));
    d.options.push('size');
    d.variants.forEach((v) => v.values.push('x'));
    expect(checkDraft(d)).toEqual({
      'options.1': 'There is already an option named “size”.',
      'variants.2.option_values.0.value': 'Every variant needs a Size: x has none.',
    });
  });
});

describe('the API’s refusals, beside their fields', () => {
  it('maps schema issues by path, in words', () => {
    const err = new ApiError(422, 'validation_failed', 'the request does not match the schema', {
      location: 'body',
      issues: [
        {
          path: 'variants.1.price',
          code: 'invalid_format',
          message: 'a non-negative decimal string such as "12.50"',
        },
        { path: 'tags.3', code: 'too_big', message: 'Too big: expected string to have <=255 characters' },
      ],
    });
    const errors = fieldErrorsOf(err);
    expect(errors).toEqual({
      'variants.1.price': 'Enter an amount such as 12.50.',
      'tags.3': 'Too long: at most 255 characters.',
    });
    expect(errorFor(errors, 'tags')).toBe('Too long: at most 255 characters.');
    expect(errorFor(errors, 'title')).toBeUndefined();
    expect(saveFailureMessage(err, errors)).toBe('Not saved: 2 problems, shown beside their fields.');
  });

  it('says what duplicate_options, incomplete_variant_list and negative_stock mean', () => {
    expect(
      fieldErrorsOf(new ApiError(422, 'duplicate_options', 'x', { field: 'variants', options: ['S / Red'] })),
    ).toEqual({
      variants:
        'Two variants have the same options (“S / Red”). Give each variant its own combination of option values.',
    });
    expect(
      fieldErrorsOf(
        new ApiError(422, 'incomplete_variant_list', 'x', { field: 'variants', missing: ['v9'] }),
      )['variants'],
    ).toMatch(/^This product has variants this page does not show/);
    expect(
      fieldErrorsOf(
        new ApiError(422, 'negative_stock', 'x', { variant_id: 'v1', location_id: 'l1', available: 2 }),
      ),
    ).toEqual({ 'stock.v1.l1': 'Stock cannot go below zero (2 available now).' });
  });

  it('leaves other failures to the message at the top', () => {
    const err = new ApiError(0, 'network_error', 'Could not reach the Retailos server.');
    expect(fieldErrorsOf(err)).toEqual({});
    expect(saveFailureMessage(err, {})).toBe('Not saved: Could not reach the Retailos server.');
  });
});

describe('stock edits', () => {
  const level = (available: number): InventoryLevel => ({
    id: 'x',
    variant_id: 'v1',
    location_id: 'l1',
    available,
    on_hand: available,
    updated_at: '',
    version: 1,
  });

  it('are sent as deltas from the number loaded, never as absolute numbers', () => {
    const levels = new Map([['v1.l1', level(5)]]);
    expect(stockAdjustments({ 'v1.l1': '8', 'v2.l1': '3' }, levels)).toEqual({
      adjustments: [
        { variant_id: 'v1', location_id: 'l1', delta: 3 },
        { variant_id: 'v2', location_id: 'l1', delta: 3 },
      ],
      errors: {},
    });
    expect(stockAdjustments({ 'v1.l1': '5' }, levels).adjustments).toEqual([]);
    expect(stockAdjustments({ 'v1.l1': '2.5' }, levels).errors).toEqual({
      'stock.v1.l1': 'Enter a whole number, e.g. 12.',
    });
  });
});

describe('the customer form', () => {
  it('sends only what changed, blank address lines left out', () => {
    const c: Customer = {
      id: 'c1',
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      phone: null,
      note: '',
      tags: [],
      addresses: [{ city: 'London' }],
      updated_at: '',
      version: 1,
    };
    const d = customerDraftOf(c);
    expect(customerUpdateBody(d, c)).toEqual({});
    d.phone = ' +44 20 0000 ';
    d.addresses = [{ city: 'London' }, { city: 'Lyon', zip: ' ' }];
    expect(customerUpdateBody(d, c)).toEqual({
      phone: '+44 20 0000',
      addresses: [{ city: 'London' }, { city: 'Lyon' }],
    });
  });
});

describe('an order line’s total', () => {
  it.each([
    ['12.50', 3, '37.50'],
    ['0.10', 3, '0.30'],
    ['19.999', 7, '139.993'],
    ['97', 2, '194.00'],
  ])('%s × %i = %s, exactly', (price, qty, total) => {
    expect(lineTotal(price, qty)).toBe(total);
  });
});

describe('the core’s own refusals', () => {
  it('name their field in the wire’s words', () => {
    const err = new ApiError(422, 'validation_failed', 'email: not an email address', {
      problems: [
        { field: 'email', message: 'not an email address' },
        { field: 'addresses[1].countryCode', message: 'unknown key or not text' },
      ],
    });
    expect(fieldErrorsOf(err)).toEqual({
      email: 'Not an email address.',
      'addresses.1.country_code': 'Unknown key or not text.',
    });
  });

  it('say which unique value is taken', () => {
    const sku = new ApiError(409, 'duplicate_sku', 'x', { constraint: 'variants_sku_key' });
    expect(fieldErrorsOf(sku)['variants']).toMatch(/^Another product already uses one of these SKUs\./);
    const email = new ApiError(409, 'duplicate_email', 'x', { constraint: 'customers_email_key' });
    expect(fieldErrorsOf(email)).toEqual({ email: 'Another customer already has this email address.' });
  });
});
