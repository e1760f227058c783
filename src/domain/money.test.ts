import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMoney, isMoney, multiplyMoney, normaliseMoney, shopifyPriceProblem } from './money.ts';
import { handleFromTitle, normaliseTags } from './text.ts';

describe('money', () => {
  it.each([
    ['12.5', '12.50'],
    ['3', '3.00'],
    ['1.2300', '1.23'],
    ['0.125', '0.125'],
    ['0', '0.00'],
  ])('normalises %s to %s', (input, out) => {
    expect(normaliseMoney(input)).toBe(out);
  });

  it.each([
    '-1',
    '1e3',
    '01.5',
    '1.23456',
    '',
    'NaN',
    '1,5',
    ' 1',
    '01.50',
    '-1.00',
    '1.00 ',
    '1234567890123456.00',
  ])('rejects %j', (bad) => {
    expect(isMoney(bad)).toBe(false);
    expect(() => normaliseMoney(bad)).toThrow(RangeError);
  });

  it('adds exactly where floats would not', () => {
    expect(addMoney('0.1', '0.2')).toBe('0.30');
    expect(multiplyMoney('19.99', 3)).toBe('59.97');
  });

  it('normalising is idempotent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 9999 }), (w, f) => {
        const once = normaliseMoney(`${w}.${String(f).padStart(4, '0')}`);
        expect(normaliseMoney(once)).toBe(once);
      }),
    );
  });
});

describe('text', () => {
  it('sorts and de-duplicates tags', () => {
    expect(normaliseTags([' sale', 'Blue', 'sale', 'blue', ''])).toEqual(['Blue', 'sale']);
  });
  it('makes handles from unicode titles', () => {
    expect(handleFromTitle('Crème Brûlée — Large!')).toBe('creme-brulee-large');
    expect(handleFromTitle('東京 T-shirt')).toBe('東京-t-shirt');
    expect(handleFromTitle('!!!')).toBe('product');
  });
});

describe('shopifyPriceProblem', () => {
  it.each(['0', '12.5', '12.50', '12.5000', '999999999999999.99', '999999999999999'])(
    'accepts %j, a price Shopify keeps as it is',
    (price) => expect(shopifyPriceProblem(price)).toBeUndefined(),
  );

  it.each([
    ['999999999999999.9999', /2 decimals/],
    ['12.345', /2 decimals/],
    ['0.001', /2 decimals/],
    ['-1', /non-negative/],
    ['1e3', /non-negative/],
  ])('refuses %j', (price, reason) => expect(shopifyPriceProblem(price)).toMatch(reason));
});
