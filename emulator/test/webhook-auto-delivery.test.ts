import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/index.ts';
import { createWebhookSubscription, findShop, type ShopData } from '../src/store/index.ts';
import { json } from './support/http.ts';
import { startReceiver, type Receiver } from './support/receiver.ts';

let emu: RunningEmulator;
let receiver: Receiver;
let shop: ShopData;

beforeAll(async () => {
  receiver = await startReceiver();
  emu = await startEmulator({
    shops: ['auto-shop'],
    products: 2,
    customers: 0,
    orders: 0,
    accessToken: 'shpat_auto',
    timeScale: 1_000_000,
  });
  shop = findShop(emu.emulator.store, 'auto-shop.myshopify.com')!;
});
afterAll(async () => {
  await emu.close();
  await receiver.close();
});

const subscribe = (uri: string) =>
  createWebhookSubscription(emu.emulator.store, shop, {
    appKey: emu.emulator.options.apiKey,
    topic: 'PRODUCTS_UPDATE',
    uri,
    format: 'JSON',
    includeFields: [],
    metafieldNamespaces: [],
    filter: null,
    name: null,
    apiVersion: '2026-04',
  });

const rename = (title: string) => {
  const product = [...shop.products.values()][0]!;
  return json(`${emu.url}/_emulator/shops/${shop.domain}/products/${product.id}`, {
    method: 'PATCH',
    body: JSON.stringify({ title }),
  });
};

describe('webhooks on the running server (as the CLI runs it)', () => {
  it('deliver by themselves, without a drain call', async () => {
    subscribe(`${receiver.url}/auto`);
    await rename('Auto delivered');
    await receiver.waitFor(1);
    expect(JSON.parse(receiver.received[0]!.rawBody)).toMatchObject({ title: 'Auto delivered' });
  });

  it('retry on their own under a compressed time scale, then remove the failing subscription', async () => {
    receiver.received.length = 0;
    for (const id of [...shop.webhookSubscriptions.keys()]) shop.webhookSubscriptions.delete(id);
    const sub = subscribe(`${receiver.url}/always-failing`);
    receiver.status = 500;
    await rename('Keeps failing');
    await receiver.waitFor(9);
    const removed = await new Promise<boolean>((resolve) => {
      const check = (): void => {
        const d = emu.emulator.webhooks.deliveries.at(-1);
        if (d?.state === 'failed') resolve(!shop.webhookSubscriptions.has(sub.id));
        else setImmediate(check);
      };
      check();
    });
    expect(removed).toBe(true);
    expect(receiver.received).toHaveLength(9);
  });
});
