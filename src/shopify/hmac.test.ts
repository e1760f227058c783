import { createHmac, randomBytes } from 'node:crypto';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryHmacMessage, verifyQueryHmac, verifyWebhookHmac } from './hmac.ts';
import { createSecretBox } from './secret-box.ts';

describe('OAuth query HMAC', () => {
  it('matches the documented test vector', () => {
    const params = new URLSearchParams({
      code: '0907a61c0c8d55e99db179b68161bc00',
      shop: 'some-shop.myshopify.com',
      timestamp: '1337178173',
      hmac: '4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20',
    });
    expect(verifyQueryHmac(params, ['hush'])).toBe(true);
    expect(verifyQueryHmac(params, ['wrong'])).toBe(false);
  });

  it('agrees with Shopify’s own library on what it accepts', async () => {
    const shopify = shopifyApi({
      apiKey: 'k',
      apiSecretKey: 'hush',
      hostName: 'retailos.test',
      apiVersion: ApiVersion.January26,
      isEmbeddedApp: false,
      logger: { level: 0 },
    });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.string({ maxLength: 30 }),
        async (state, host) => {
          const query: Record<string, string> = {
            code: 'c0de',
            host,
            shop: 'a.myshopify.com',
            state,
            timestamp: String(Math.floor(Date.now() / 1000)),
          };
          const message = queryHmacMessage(new URLSearchParams(query));
          const hmac = createHmac('sha256', 'hush').update(message).digest('hex');
          expect(await shopify.utils.validateHmac({ ...query, hmac })).toBe(true);
          expect(verifyQueryHmac(new URLSearchParams({ ...query, hmac }), ['hush'])).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses a missing, short or non-hex hmac', () => {
    const base = { shop: 'a.myshopify.com', timestamp: '1' };
    for (const hmac of ['', 'zz', '00', 'g'.repeat(64)]) {
      expect(verifyQueryHmac(new URLSearchParams({ ...base, hmac }), ['s'])).toBe(false);
    }
    expect(verifyQueryHmac(new URLSearchParams(base), ['s'])).toBe(false);
  });
});

describe('webhook HMAC', () => {
  const body = Buffer.from('{"id":1,"title":"A & B / C"}');
  const sign = (secret: string, b = body) => createHmac('sha256', secret).update(b).digest('base64');

  it('accepts the exact bytes signed with any current secret', () => {
    expect(verifyWebhookHmac(body, sign('new'), ['old', 'new'])).toBe(true);
  });
  it('refuses re-serialised bodies, other secrets and malformed headers', () => {
    expect(
      verifyWebhookHmac(Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1)), sign('s'), ['s']),
    ).toBe(false);
    expect(verifyWebhookHmac(body, sign('other'), ['s'])).toBe(false);
    expect(verifyWebhookHmac(body, undefined, ['s'])).toBe(false);
    expect(verifyWebhookHmac(body, 'not base64!', ['s'])).toBe(false);
  });
});

describe('secret box', () => {
  const box = createSecretBox(randomBytes(32), randomBytes);
  it('round-trips and never stores the plain text', () => {
    const sealed = box.seal('shpat_secret_token', 'shop-a');
    expect(sealed).not.toContain('shpat');
    expect(box.open(sealed, 'shop-a')).toBe('shpat_secret_token');
  });
  it('refuses a ciphertext moved to another row or tampered with', () => {
    const sealed = box.seal('t', 'shop-a');
    expect(() => box.open(sealed, 'shop-b')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x').toString('base64url');
    expect(() => box.open(parts.join('.'), 'shop-a')).toThrow();
    expect(() => createSecretBox(randomBytes(32), randomBytes).open(sealed, 'shop-a')).toThrow();
  });
});
