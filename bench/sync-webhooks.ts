// Shopify → Retailos under 200 webhooks/s: through the emulator (real merchant edits, the emulator
// delivers), and direct (this process plays Shopify, signing and sending deliveries concurrently).
import { createHmac, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { openLoop, sleep, type EmuProduct } from './sync-load.ts';
import type { Stack } from './sync-stack.ts';

/** Where the time of the applied deliveries went, from the inbox rows (ms). */
export interface InboxFigures {
  applied: number;
  notApplied: number;
  /** The edit (or send) → the inbox row's applied_at (set right after the product write commits). */
  visible: number[];
  receivedToApplied: number[];
  triggeredToApplied: number[];
  /** X-Shopify-Triggered-At → received_at: the time a delivery waited in the emulator's queue. */
  emulatorWait: number[];
  /** Applied deliveries ÷ (last applied_at − first received_at): what the apply job sustained. */
  applyRate: number;
}

export interface WebhookFigures extends InboxFigures {
  sent: number;
  /** Deliveries made (the emulator folds quick edits of one product into one delivery, as Shopify does). */
  deliveries: number;
  sendErrors: number;
  achievedRate: number;
  failedAttempts: number;
  ack: number[];
  /** Through the emulator: X-Shopify-Triggered-At → its first attempt started (waiting inside the sender). */
  senderQueue: number[];
}

interface Delivery {
  body: string;
  triggeredAt: string;
  attempts: { at: string; status: number | null; durationMs: number }[];
}

interface InboxRow {
  title: string | null;
  state: string;
  triggered_at: Date | null;
  received_at: Date;
  applied_at: Date | null;
}

async function lastInboxId(s: Stack): Promise<number> {
  const { rows } = await s.db.query<{ id: string }>(
    'select coalesce(max(id), 0) as id from shopify_webhook_inbox',
  );
  return Number(rows[0]?.id ?? 0);
}

/** Waits until the emulator has nothing left to deliver and the inbox nothing left to apply. */
async function settleInbox(s: Stack, fromId: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let waiting: unknown[] = [];
  while (Date.now() < deadline && quiet < 2) {
    const pending = await s.control<{ deliveries: { topic: string; attempts: unknown[] }[] }>(
      'GET',
      `/webhooks/deliveries?shop=${s.shop}&state=pending`,
    );
    const { rows } = await s.db.query<{ n: string }>(
      `select count(*) as n from shopify_webhook_inbox where id > $1 and state = 'pending'`,
      [fromId],
    );
    waiting = pending.deliveries.map((d) => [d.topic, d.attempts]);
    quiet = pending.deliveries.length === 0 && Number(rows[0]?.n) === 0 ? quiet + 1 : 0;
    await sleep(500);
  }
  if (quiet < 2) {
    const { rows } = await s.db.query<{ topic: string; state: string; n: string }>(
      `select topic, state, count(*) as n from shopify_webhook_inbox where id > $1 group by 1, 2`,
      [fromId],
    );
    console.error(
      `did not settle in ${timeoutMs} ms: inbox ${JSON.stringify(rows)}, ` +
        `emulator pending ${JSON.stringify(waiting).slice(0, 2000)}`,
    );
  }
}

async function inboxFigures(s: Stack, fromId: number, sent: Map<string, number>): Promise<InboxFigures> {
  const { rows } = await s.db.query<InboxRow>(
    `select body->>'title' as title, state, triggered_at, received_at, applied_at
       from shopify_webhook_inbox where id > $1 and topic = 'products/update'`,
    [fromId],
  );
  const f: InboxFigures = {
    applied: 0,
    notApplied: 0,
    visible: [],
    receivedToApplied: [],
    triggeredToApplied: [],
    emulatorWait: [],
    applyRate: NaN,
  };
  let first = Infinity;
  let last = -Infinity;
  for (const r of rows) {
    const at = r.title ? sent.get(r.title) : undefined;
    if (at === undefined) continue;
    if (r.state !== 'applied' || !r.applied_at) {
      f.notApplied += 1;
      continue;
    }
    const applied = r.applied_at.getTime();
    first = Math.min(first, r.received_at.getTime());
    last = Math.max(last, applied);
    f.applied += 1;
    f.visible.push(applied - at);
    f.receivedToApplied.push(applied - r.received_at.getTime());
    if (r.triggered_at) {
      f.triggeredToApplied.push(applied - r.triggered_at.getTime());
      f.emulatorWait.push(r.received_at.getTime() - r.triggered_at.getTime());
    }
  }
  f.applyRate = f.applied / ((last - first) / 1000);
  return f;
}

/**
 * Merchant title edits on the emulator at `rate`/s (open loop); the emulator delivers products/update
 * to the running server on its own timer, one delivery at a time. Ack = the emulator's measured
 * delivery time. Also returns one delivered body per product id, for `direct` to replay.
 */
export async function throughEmulator(
  s: Stack,
  products: readonly EmuProduct[],
  rate: number,
  seconds: number,
): Promise<{ figures: WebhookFigures; payloads: Map<number, Record<string, unknown>> }> {
  const fromId = await lastInboxId(s);
  const startedAt = Date.now();
  const tag = startedAt.toString(36);
  const sent = new Map<string, number>();
  const total = Math.round(rate * seconds);
  const load = await openLoop(total, rate, async (i) => {
    const p = products[i % products.length] as EmuProduct;
    const title = `Bench ${tag} ${i}`;
    sent.set(title, Date.now());
    await s.control('PATCH', `/shops/${s.shop}/products/${p.id}`, { title });
  });
  await settleInbox(s, fromId, 10 * 60_000);
  const f: WebhookFigures = {
    ...(await inboxFigures(s, fromId, sent)),
    sent: total,
    deliveries: 0,
    sendErrors: load.errors,
    achievedRate: total / load.seconds,
    failedAttempts: 0,
    ack: [],
    senderQueue: [],
  };
  const payloads = new Map<number, Record<string, unknown>>();
  const { deliveries } = await s.control<{ deliveries: Delivery[] }>(
    'GET',
    `/webhooks/deliveries?shop=${s.shop}&topic=products/update`,
  );
  for (const d of deliveries) {
    if (Date.parse(d.triggeredAt) < startedAt) continue;
    f.deliveries += 1;
    const body = JSON.parse(d.body) as Record<string, unknown>;
    payloads.set(Number(body['id']), body);
    const firstAttempt = d.attempts[0];
    if (firstAttempt) f.senderQueue.push(Date.parse(firstAttempt.at) - Date.parse(d.triggeredAt));
    for (const a of d.attempts) {
      if (a.status === null || a.status < 200 || a.status >= 300) f.failedAttempts += 1;
      else f.ack.push(a.durationMs);
    }
  }
  return { figures: f, payloads };
}

/**
 * This process plays Shopify: products/update deliveries (the emulator's own bodies with a new title
 * and updated_at), signed with the app secret, POSTed at `rate`/s open loop with up to 64 connections.
 * Ack = the POST's round trip here.
 */
export async function direct(
  s: Stack,
  payloads: readonly Record<string, unknown>[],
  rate: number,
  seconds: number,
): Promise<WebhookFigures> {
  const fromId = await lastInboxId(s);
  const tag = Date.now().toString(36);
  const sent = new Map<string, number>();
  const ack: number[] = [];
  let failed = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL('/webhooks/shopify', s.retailosUrl);
  const total = Math.round(rate * seconds);
  const load = await openLoop(total, rate, (i) => {
    const title = `Direct ${tag} ${i}`;
    const now = new Date();
    const base = payloads[i % payloads.length] as Record<string, unknown>;
    const body = JSON.stringify({ ...base, title, updated_at: now.toISOString() });
    const headers = {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': createHmac('sha256', s.apiSecret).update(body).digest('base64'),
      'x-shopify-topic': 'products/update',
      'x-shopify-shop-domain': s.shop,
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': now.toISOString(),
      'x-shopify-api-version': '2026-04',
    };
    sent.set(title, now.getTime());
    const t0 = performance.now();
    return new Promise<void>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) ack.push(performance.now() - t0);
          else failed += 1;
          resolve();
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  });
  agent.destroy();
  await settleInbox(s, fromId, 10 * 60_000);
  return {
    ...(await inboxFigures(s, fromId, sent)),
    sent: total,
    deliveries: total,
    sendErrors: load.errors,
    achievedRate: total / load.seconds,
    failedAttempts: failed,
    ack,
    senderQueue: [],
  };
}
