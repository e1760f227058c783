import { describe, expect, it } from 'vitest';
import { isValidShop, normaliseShop } from './shop-domain.ts';

describe('shop domain', () => {
  it.each([
    ['my-store', 'my-store.myshopify.com'],
    ['My-Store.myshopify.com', 'my-store.myshopify.com'],
    ['https://my-store.myshopify.com/', 'my-store.myshopify.com'],
    ['  shop1.myshopify.com ', 'shop1.myshopify.com'],
  ])('accepts %j as %s', (input, shop) => {
    expect(normaliseShop(input)).toEqual({ ok: true, shop });
  });

  it.each([
    'evil.com/x.myshopify.com',
    'x.myshopify.com.evil.test',
    '127.0.0.1',
    'x.myshopify.com:443',
    'x.myshopify.com/admin',
    'user@x.myshopify.com',
    'user:pw@x.myshopify.com',
    'http://x.myshopify.com',
    'x.myshopify.com?shop=y',
    'x.myshopify.com#y',
    '-x.myshopify.com',
    'a.b.myshopify.com',
    'xn--mnchen-3ya.myshopify.com.evil',
    'münchen.myshopify.com',
    'x.myshopify.com\u0000',
    'x.myshopify.com\nhost: evil.test',
    'x.shopify.com',
    '',
    'a'.repeat(300),
  ])('refuses %j', (input) => {
    expect(normaliseShop(input).ok).toBe(false);
  });

  it('checks already-normal shops strictly', () => {
    expect(isValidShop('shop.myshopify.com')).toBe(true);
    expect(isValidShop('Shop.myshopify.com')).toBe(false);
  });
});
