// A process whose Shopify wiring is not set (not yet at start-up, or no Shopify app configured) answers
// the Shopify routes with 503 `unavailable` saying so: the wiring is a slot that is always there and
// throws ShopifyNotWiredError until set, and the error handler maps it.
import { describe, expect, it } from 'vitest';
import { useApiClient } from '../../test-support/api-client.ts';

const { t, call } = useApiClient();

describe('Shopify routes while Shopify is not wired', () => {
  it('connect and disconnect answer 503 unavailable, naming what to configure; the connection reads', async () => {
    for (const [url, body] of [
      ['/shopify/connect', { shop: 'not-wired.myshopify.com' }],
      ['/shopify/disconnect', undefined],
    ] as const) {
      const res = await call('POST', url, body);
      expect(res.statusCode, url).toBe(503);
      expect(res.json(), url).toMatchObject({ error: { code: 'unavailable' } });
      expect(res.json<{ error: { message: string } }>().error.message, url).toMatch(/SHOPIFY_API_KEY/);
    }
    const connection = await call('GET', '/shopify/connection');
    expect(connection.statusCode).toBe(200);
    expect(connection.json()).toMatchObject({ demo_shop: null });
  });

  it('a webhook delivery answers 503 unavailable (Shopify retries it later)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/webhooks/shopify',
      headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': 'x' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'unavailable' } });
  });
});
