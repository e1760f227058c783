import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from './config.ts';
import { createSecretBox } from './shopify/secret-box.ts';
import { setUpShopify } from './shopify-wiring.ts';

const logger = pino({ level: 'silent' });
const box = createSecretBox(randomBytes(32), randomBytes);
const LOCAL = 'http://127.0.0.1:9';

describe('setUpShopify: which scopes the app requests', () => {
  it('the demo store: read_all_orders too, so every seeded order is imported, not only the last 60 days', async () => {
    const { wiring, demo } = await setUpShopify(loadConfig({}), logger, box, LOCAL, true);
    onTestFinished(() => demo?.stop());
    expect(demo).toBeDefined();
    expect(wiring?.demoShop).toBe('retailos-demo.myshopify.com');
    expect(wiring?.app.scopes).toContain('read_all_orders');
    expect(wiring?.app.scopes).toContain('read_orders');
  });

  it('the demo store with SHOPIFY_READ_ALL_ORDERS=false: not requested', async () => {
    const config = loadConfig({ SHOPIFY_READ_ALL_ORDERS: 'false' });
    const { wiring, demo } = await setUpShopify(config, logger, box, LOCAL, true);
    onTestFinished(() => demo?.stop());
    expect(wiring?.app.scopes).not.toContain('read_all_orders');
    expect(wiring?.app.scopes).toContain('read_orders');
  });

  it('real Shopify: only when SHOPIFY_READ_ALL_ORDERS=true (Shopify must have granted it to the app)', async () => {
    const real = {
      SHOPIFY_API_KEY: 'key',
      SHOPIFY_API_SECRET: 'secret',
      APP_URL: 'https://retailos.example',
    };
    const plain = await setUpShopify(loadConfig(real), logger, box, LOCAL, true);
    expect(plain.demo).toBeUndefined();
    expect(plain.wiring?.demoShop).toBeUndefined();
    expect(plain.wiring?.app.scopes).not.toContain('read_all_orders');
    const all = await setUpShopify(
      loadConfig({ ...real, SHOPIFY_READ_ALL_ORDERS: 'true' }),
      logger,
      box,
      LOCAL,
      true,
    );
    expect(all.wiring?.app.scopes).toContain('read_all_orders');
  });
});
