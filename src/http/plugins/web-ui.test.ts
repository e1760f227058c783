import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from './error-handler.ts';
import { registerWebUi } from './web-ui.ts';

const INDEX =
  '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/app-1a2b.js"></script></body></html>';

let dist: string;
beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'retailos-web-ui-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'app-1a2b.js'), 'console.log("ui");');
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));

/** An app with the routes the UI must leave alone, then the UI. */
async function appWith(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandling(app);
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/shopify/callback', async () => 'callback');
  registerWebUi(app, { distDir });
  await app.ready();
  return app;
}

describe('serving the built web UI', () => {
  it.each(['/', '/login', '/app', '/app/shopify', '/app/orders?q=x'])(
    'answers index.html for the app path %s',
    async (url) => {
      const app = await appWith(dist);
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.body).toBe(INDEX);
    },
  );

  it('serves hashed assets as immutable, and a missing asset as the JSON not_found', async () => {
    const app = await appWith(dist);
    const js = await app.inject({ method: 'GET', url: '/assets/app-1a2b.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    const missing = await app.inject({ method: 'GET', url: '/assets/nope.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('leaves the API, webhooks, the OAuth callback and operations routes alone', async () => {
    const app = await appWith(dist);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ ok: true });
    expect((await app.inject({ method: 'GET', url: '/shopify/callback?code=x' })).body).toBe('callback');
    for (const url of ['/api/nope', '/webhooks/shopify', '/index.html', '/apps', '/metricsx']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('answers a 503 page naming the build command when web/dist is missing, and the rest still works', async () => {
    const app = await appWith(join(dist, 'does-not-exist'));
    for (const url of ['/', '/login', '/app/shopify']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(503);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('npm run build:web');
    }
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('is registered once even when called twice', async () => {
    const app = Fastify();
    registerWebUi(app, { distDir: dist });
    registerWebUi(app, { distDir: join(dist, 'other') });
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/' })).body).toBe(INDEX);
  });
});
