import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, ThrottledError, TransientError } from '../errors.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { adminGraphql, throttleWaitMs, type AdminClientConfig } from './graphql-client.ts';

let emu: RunningEmulator;
let cfg: AdminClientConfig;
const shop = 'client-test.myshopify.com';
const token = 'shpat_client_test';

beforeAll(async () => {
  emu = await startEmulator(['--shop', shop, '--access-token', token, '--products', '4', '--seed', '7']);
  cfg = { shopOriginTemplate: emu.shopOriginTemplate, apiVersion: '2026-04' };
});
afterAll(async () => {
  await emu.stop();
});

const PRODUCTS = '{ products(first: 2) { nodes { id title } } }';

describe('Admin GraphQL client against the emulator', () => {
  it('returns data and the query cost', async () => {
    const r = await adminGraphql<{ products: { nodes: { id: string }[] } }>(cfg, {
      shop,
      accessToken: token,
      query: PRODUCTS,
    });
    expect(r.data.products.nodes).toHaveLength(2);
    expect(r.data.products.nodes[0]?.id).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
    expect(r.cost?.throttleStatus.maximumAvailable).toBe(2000);
    expect(r.cost?.requestedQueryCost).toBeGreaterThan(0);
  });

  it('treats a refused token as permanent', async () => {
    const attempt = adminGraphql(cfg, { shop, accessToken: 'shpat_wrong', query: PRODUCTS });
    await expect(attempt).rejects.toBeInstanceOf(PermanentError);
    await expect(attempt).rejects.toMatchObject({ errorClass: 'unauthorized' });
  });

  it('treats a query the schema rejects as permanent, naming the error', async () => {
    const attempt = adminGraphql(cfg, {
      shop,
      accessToken: token,
      query: '{ products(first: 1) { nodes { noSuchField } } }',
    });
    await expect(attempt).rejects.toBeInstanceOf(PermanentError);
    await expect(attempt).rejects.toThrow(/noSuchField/);
  });

  it('treats an outage as transient and THROTTLED (200 or 429) as a throttle with a wait', async () => {
    await emu.control('POST', '/faults', { outage: true });
    await expect(adminGraphql(cfg, { shop, accessToken: token, query: PRODUCTS })).rejects.toBeInstanceOf(
      TransientError,
    );
    await emu.control('POST', '/faults', { outage: false, throttleRate: 1, throttleStatus: 200 });
    const t200 = adminGraphql(cfg, { shop, accessToken: token, query: PRODUCTS });
    await expect(t200).rejects.toBeInstanceOf(ThrottledError);
    await emu.control('POST', '/faults', { throttleStatus: 429 });
    const t429 = await adminGraphql(cfg, { shop, accessToken: token, query: PRODUCTS }).catch(
      (e: unknown) => e,
    );
    expect(t429).toBeInstanceOf(ThrottledError);
    expect((t429 as ThrottledError).retryAfterMs).toBeGreaterThan(0);
    await emu.control('DELETE', '/faults');
  });

  it('refuses to build a request for a host that is not a shop', async () => {
    await expect(
      adminGraphql(cfg, { shop: 'evil.com/x.myshopify.com', accessToken: token, query: PRODUCTS }),
    ).rejects.toThrow(/not a myshopify.com shop/);
  });
});

describe('throttle wait', () => {
  it('waits for the missing points at the restore rate', () => {
    expect(throttleWaitMs(500, { maximumAvailable: 2000, currentlyAvailable: 100, restoreRate: 100 })).toBe(
      4000,
    );
    expect(throttleWaitMs(50, { maximumAvailable: 2000, currentlyAvailable: 1000, restoreRate: 100 })).toBe(
      250,
    );
  });
});
