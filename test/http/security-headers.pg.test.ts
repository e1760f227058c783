// Headers on what the server answers: the OAuth callback's HTML pages declare their charset (the em dash
// in their title rendered as "â€”") and carry a page policy; JSON under /api is never sniffed or stored.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/api-client.ts';
import type { TestSession } from '../../test-support/app.ts';

const t = useTestApp();
let session: TestSession;
beforeAll(async () => {
  session = await t.login(t.a);
});

describe('security headers', () => {
  it('a /shopify/callback result page is UTF-8 HTML that is never framed, sniffed or stored', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/shopify/callback?code=c&state=s&hmac=h&shop=x.myshopify.com',
      headers: session.headers,
    });
    // Shopify is not configured in this app: the page that says so.
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('— Retailos');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['a read', '/api/products', 200],
    ['a refusal', '/api/products?limit=0', 422],
    ['an unknown route', '/api/nothing-here', 404],
  ])('JSON under /api (%s) is nosniff and no-store', async (_what, url, status) => {
    const res = await t.app.inject({ method: 'GET', url, headers: session.headers });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('a 401 under /api is nosniff and no-store too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/products' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
