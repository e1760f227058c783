import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorWorld, TOKEN } from './support/emulator-world.ts';
import { at, graphql, json, post } from './support/http.ts';

let w: Awaited<ReturnType<typeof emulatorWorld>>;
let endpoint: string;

beforeAll(async () => {
  w = await emulatorWorld('bad-input');
  endpoint = `${w.origin}/admin/api/2026-04/graphql.json`;
});
afterAll(() => w.running.close());

const raw = (body: string, headers: Record<string, string> = {}) =>
  json(endpoint, { method: 'POST', body, headers: { 'X-Shopify-Access-Token': TOKEN, ...headers } });

describe('bad input answers like Shopify and the server keeps serving', () => {
  it('invalid JSON → 400 with Shopify’s parameter error', async () => {
    const res = await raw('{"query": "{ shop { name } }"');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: { query: 'Required parameter missing or invalid' } });
  });

  it('a body without a query → 400', async () => {
    expect((await raw('{"variables": {}}')).status).toBe(400);
    expect((await raw('[1,2,3]')).status).toBe(400);
    expect((await raw('')).status).toBe(400);
  });

  it('missing, unknown or wrong-shop tokens → 401 with Shopify’s body', async () => {
    const missing = await post(endpoint, { query: '{ shop { name } }' });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
    });
    expect((await graphql(w.origin, 'shpat_unknown', '{ shop { name } }')).status).toBe(401);
  });

  it('a syntax error is a GraphQL error with HTTP 200', async () => {
    const res = await graphql(w.origin, TOKEN, '{ shop { name ');
    expect(res.status).toBe(200);
    expect(at(res.body, 'errors', 0, 'message')).toMatch(/syntax error/i);
  });

  it('an unknown shop or path → 404; a malformed API version → 404, an old one falls forward', async () => {
    expect((await graphql(w.running.shopOrigin('nope'), TOKEN, '{ shop { name } }')).status).toBe(404);
    expect(
      (
        await json(`${w.running.url}/shops/evil.com%2Fx.myshopify.com/admin/api/2026-04/graphql.json`, {
          method: 'POST',
          body: '{}',
        })
      ).status,
    ).toBe(404);
    expect((await graphql(w.origin, TOKEN, '{ shop { name } }', undefined, 'banana')).status).toBe(404);
    const old = await graphql(w.origin, TOKEN, '{ shop { name } }', undefined, '2019-04');
    expect(old.status).toBe(200);
    expect(old.headers.get('x-shopify-api-version')).toBe('2026-01');
  });

  it('a malformed token request → 400, and bad control input → 4xx JSON', async () => {
    const token = await json(`${w.origin}/admin/oauth/access_token`, { method: 'POST', body: '{not json' });
    expect(token.status).toBe(400);
    expect(at(token.body, 'error')).toBe('invalid_request');
    const control = await post(`${w.running.url}/_emulator/shops/${w.domain}/orders`, {
      lines: [{ variantId: 1, quantity: 1 }],
    });
    expect(control.status).toBe(404);
    expect(at(control.body, 'error')).toBe('not_found');
    const faults = await post(`${w.running.url}/_emulator/faults`, { errorRate: 7 });
    expect(faults.status).toBe(422);
  });

  it('still answers normal requests after all that', async () => {
    const res = await graphql(w.origin, TOKEN, '{ shop { name myshopifyDomain } }');
    expect(res.status).toBe(200);
    expect(at(res.body, 'data', 'shop', 'myshopifyDomain')).toBe(w.domain);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
