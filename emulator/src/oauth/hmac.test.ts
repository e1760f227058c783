import { describe, expect, it } from 'vitest';
import { signBody, signQuery } from './hmac.ts';

describe('hmac', () => {
  it('signs a query string with the reference test vector (hex)', () => {
    const hmac = signQuery(
      {
        shop: 'some-shop.myshopify.com',
        code: '0907a61c0c8d55e99db179b68161bc00',
        timestamp: '1337178173',
        hmac: 'x',
      },
      'hush',
    );
    expect(hmac).toBe('4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20');
  });

  it('signs a webhook body with the reference test vector (base64)', () => {
    expect(signBody('{"id":123,"title":"T"}', 'hush')).toBe('f4YxKklXg1PKOukyNBz6ZAj58AGj8b+YAkIJb8KEEYo=');
  });
});
