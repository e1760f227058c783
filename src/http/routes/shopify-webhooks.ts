import type { FastifyInstance, FastifyReply } from 'fastify';
import { storeShopDelivery } from '../../db/shopify-webhook-inbox.ts';
import type { CoreDeps } from '../../deps.ts';
import { isValidShop } from '../../domain/shop-domain.ts';
import { JOBS } from '../../job-names.ts';
import { verifyWebhookHmac } from '../../shopify/hmac.ts';
import { coalescedSend } from '../../sync/continuous/coalesced-send.ts';
import { wakeImport } from '../../sync/import/start.ts';
import { isKnownTopic, LIFECYCLE_TOPICS, WAKES_IMPORT } from '../../sync/webhook-topics.ts';
import { errorBody } from '../errors.ts';

/** Shopify's payloads are small; anything larger is refused before it is read whole. */
export const WEBHOOK_BODY_LIMIT = 512 * 1024;

const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** X-Shopify-Triggered-At as a time Postgres holds (years 1970–9999); anything else is not a time. */
function triggeredAt(value: string | undefined): Date | null {
  const t = value === undefined ? NaN : Date.parse(value);
  return t >= 0 && t < Date.UTC(10_000, 0, 1) ? new Date(t) : null;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * POST /webhooks/shopify: verify the HMAC over the raw bytes (before parsing), check the shop is
 * connected, store the delivery keyed by its webhook id (a duplicate gets 200 and no work), enqueue
 * its processing, answer 200. No other work happens here.
 */
export function shopifyWebhookRoute(app: FastifyInstance, deps: CoreDeps): void {
  // A burst of deliveries for one shop shares its job wake-ups (one send in flight per shop and job);
  // `deps.enqueue` is read at each send.
  const wakeJob = coalescedSend((job, data, options) => deps.enqueue(job, data, options));
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    scope.post('/webhooks/shopify', { bodyLimit: WEBHOOK_BODY_LIMIT }, async (req, reply) =>
      receive(deps, wakeJob, req.headers, req.body, reply),
    );
  });
}

async function receive(
  deps: CoreDeps,
  wakeJob: ReturnType<typeof coalescedSend>,
  h: Record<string, string | string[] | undefined>,
  body: unknown,
  reply: FastifyReply,
) {
  const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
  const secret = deps.shopify.get().app.apiSecret; // not wired: 503 (ShopifyNotWiredError)
  if (!verifyWebhookHmac(raw, header(h['x-shopify-hmac-sha256']), [secret])) {
    return reply.code(401).send(errorBody('invalid_hmac', 'the webhook signature does not match'));
  }
  const topic = header(h['x-shopify-topic']) ?? '';
  const shop = header(h['x-shopify-shop-domain']) ?? '';
  const webhookId = header(h['x-shopify-webhook-id']) ?? '';
  if (!topic || !webhookId || !isValidShop(shop)) {
    return reply
      .code(400)
      .send(errorBody('bad_request', 'missing or invalid X-Shopify-Topic, -Shop-Domain or -Webhook-Id'));
  }
  const text = raw.toString('utf8');
  if (!isJson(text)) return reply.code(400).send(errorBody('invalid_json', 'the webhook body is not JSON'));
  const triggered = header(h['x-shopify-triggered-at']);
  const { tenantId, stored } = await storeShopDelivery(deps.db, {
    webhookId,
    eventId: header(h['x-shopify-event-id']) ?? null,
    topic,
    shop,
    apiVersion: header(h['x-shopify-api-version']) ?? null,
    triggeredAt: triggeredAt(triggered),
    receivedAt: deps.clock.now(),
    rawBody: text,
    state: isKnownTopic(topic) ? 'pending' : 'ignored',
  });
  if (!tenantId) {
    deps.logger.info({ shop, topic }, 'webhook for a shop that is not connected; acknowledged and ignored');
    return reply.code(200).send({ ok: true, ignored: 'shop_not_connected' });
  }
  if (stored && isKnownTopic(topic)) {
    const job = LIFECYCLE_TOPICS.includes(topic) ? JOBS.shopifyLifecycle : JOBS.shopifyApplyWebhooks;
    // Stored is what matters: a failed enqueue is logged and the job's minute sweep applies it.
    await wakeJob(job, { tenantId }, tenantId).catch((err: unknown) =>
      deps.logger.error({ err, topic, shop }, 'could not enqueue webhook processing'),
    );
    // An export finished: the import looks now rather than at its next poll (which stays the fallback).
    if (topic === WAKES_IMPORT)
      await wakeImport(deps, tenantId).catch((err: unknown) =>
        deps.logger.error({ err, topic, shop }, 'could not wake the import'),
      );
  }
  return reply.code(200).send({ ok: true, duplicate: !stored });
}
