// The shop header of a webhook is not signed: Shopify's HMAC covers the body, with the app's one
// secret, the same for every shop. So a delivery's id is spent across all shops (a signed body re-sent
// under another shop's header is a duplicate), and app/uninstalled is acted on only when the payload
// names the same shop and Shopify confirms it (the shop's token no longer works).
import { createHmac, randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyLifecycleJob } from '../../src/jobs/shopify-lifecycle.ts';
import { shopifyApplyWebhooksJob } from '../../src/jobs/shopify-sync.ts';
import { createTestApp, type TestApp } from '../../test-support/app.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { startTestBoss } from '../../test-support/import-jobs.ts';
import { connectShop, emulatorWiring } from '../../test-support/shopify.ts';

const SHOP_A = 'binding-a.myshopify.com';
const SHOP_B = 'binding-b.myshopify.com';
const KEY = 'binding-key';
const SECRET = 'shpss_binding_secret';

let emu: RunningEmulator;
let t: TestApp;
let boss: PgBoss;

beforeAll(async () => {
  emu = await startEmulator([
    ...['--shop', SHOP_A, '--shop', SHOP_B, '--api-key', KEY, '--api-secret', SECRET],
    ...['--products', '1', '--customers', '1', '--orders', '1'],
  ]);
  const wiring = emulatorWiring(emu, KEY, SECRET, 'http://127.0.0.1:9');
  t = await createTestApp({ shopify: wiring });
  t.clock.set(new Date()); // the emulator signs callbacks with real time
  wiring.app.appUrl = await t.app.listen({ port: 0, host: '127.0.0.1' }); // Shopify delivers here
  ({ boss } = await startTestBoss(t, [shopifyLifecycleJob, shopifyApplyWebhooksJob]));
  await connectShop(t, await t.login(t.a), SHOP_A);
  await connectShop(t, await t.login(t.b), SHOP_B);
}, 180_000);
afterAll(async () => {
  await boss?.stop({ graceful: false });
  await t?.close();
  await emu?.stop();
});

/** A delivery signed as Shopify signs it: the HMAC of the body only, with the app's secret. */
function deliver(body: object, topic: string, shop: string, webhookId: string) {
  const raw = JSON.stringify(body);
  return t.app.inject({
    method: 'POST',
    url: '/webhooks/shopify',
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(raw).digest('base64'),
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': shop,
      'x-shopify-webhook-id': webhookId,
      'x-shopify-triggered-at': new Date().toISOString(),
    },
    payload: raw,
  });
}

const inboxOf = async (tenantId: string, webhookId: string) =>
  (
    await t.db.query<{ state: string; last_error: string | null }>(
      'select state, last_error from shopify_webhook_inbox where tenant_id = $1 and webhook_id = $2',
      [tenantId, webhookId],
    )
  ).rows;

const connectionOf = async (tenantId: string) =>
  (
    await t.db.query<{ state: string; holds_token: boolean }>(
      `select state, access_token_sealed is not null as holds_token from shopify_connections where tenant_id = $1`,
      [tenantId],
    )
  ).rows[0];

const product = (id: number) => ({
  id,
  admin_graphql_api_id: `gid://shopify/Product/${id}`,
  title: 'Replayed',
  updated_at: new Date().toISOString(),
});

describe('a webhook is bound to its shop', () => {
  it('a signed delivery re-sent under another shop’s header is a duplicate, also when its own shop is not connected here', async () => {
    const id = randomUUID();
    expect((await deliver(product(1001), 'products/create', SHOP_A, id)).json()).toEqual({
      ok: true,
      duplicate: false,
    });
    expect((await deliver(product(1001), 'products/create', SHOP_B, id)).json()).toEqual({
      ok: true,
      duplicate: true,
    });
    expect(await inboxOf(t.b.tenantId, id)).toEqual([]);

    const foreign = randomUUID(); // first seen for a shop nobody here connects
    const first = await deliver(product(1002), 'products/create', 'elsewhere.myshopify.com', foreign);
    expect(first.json()).toEqual({ ok: true, ignored: 'shop_not_connected' });
    const replay = await deliver(product(1002), 'products/create', SHOP_B, foreign);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ ok: true, duplicate: true });
    expect(await inboxOf(t.b.tenantId, foreign)).toEqual([]);
  });

  it('app/uninstalled whose payload names another shop is ignored with the reason, and the shop keeps its connection', async () => {
    const id = randomUUID();
    const payload = { id: 1, domain: SHOP_A, myshopify_domain: SHOP_A, name: 'A' };
    expect((await deliver(payload, 'app/uninstalled', SHOP_B, id)).statusCode).toBe(200);
    await drainQueue(boss, shopifyLifecycleJob as never, t.deps as never);
    expect(await connectionOf(t.b.tenantId)).toEqual({ state: 'importing', holds_token: true });
    expect(await inboxOf(t.b.tenantId, id)).toEqual([
      {
        state: 'ignored',
        last_error: `app/uninstalled ignored: the payload names ${SHOP_A}, not ${SHOP_B}`,
      },
    ]);
  });

  it('app/uninstalled that Shopify does not confirm (the shop’s token still works) is ignored with the reason', async () => {
    const id = randomUUID();
    const payload = { id: 2, domain: SHOP_B, myshopify_domain: SHOP_B, name: 'B' };
    expect((await deliver(payload, 'app/uninstalled', SHOP_B, id)).statusCode).toBe(200);
    await drainQueue(boss, shopifyLifecycleJob as never, t.deps as never);
    expect(await connectionOf(t.b.tenantId)).toEqual({ state: 'importing', holds_token: true });
    expect(await inboxOf(t.b.tenantId, id)).toEqual([
      {
        state: 'ignored',
        last_error: `app/uninstalled ignored: Shopify still accepts ${SHOP_B}'s access token, so the app is installed`,
      },
    ]);
  });

  it('a privacy request naming another shop is ignored with the reason and redacts nothing', async () => {
    const id = randomUUID();
    const payload = { shop_id: 1, shop_domain: SHOP_A, customer: { id: 7, email: 'someone@example.com' } };
    expect((await deliver(payload, 'customers/redact', SHOP_B, id)).statusCode).toBe(200);
    await drainQueue(boss, shopifyLifecycleJob as never, t.deps as never);
    expect(await inboxOf(t.b.tenantId, id)).toEqual([
      {
        state: 'ignored',
        last_error: `customers/redact ignored: the payload names ${SHOP_A}, not ${SHOP_B}`,
      },
    ]);
    const { rows } = await t.db.query('select 1 from shopify_privacy_requests where tenant_id = $1', [
      t.b.tenantId,
    ]);
    expect(rows).toEqual([]);
  });

  it('a real uninstall on Shopify disconnects that shop only', async () => {
    await emu.control('POST', `/shops/${SHOP_B}/uninstall`, {});
    await emu.control('POST', '/webhooks/drain', {});
    await drainQueue(boss, shopifyLifecycleJob as never, t.deps as never);
    expect(await connectionOf(t.b.tenantId)).toEqual({ state: 'disconnected', holds_token: false });
    expect(await connectionOf(t.a.tenantId)).toEqual({ state: 'importing', holds_token: true });
  });
});
