import {
  listSubscriptions,
  markMissing,
  noteReregisterError,
  rememberSubscription,
  tenantsToCheck,
} from '../../db/shopify-webhook-subscriptions.ts';
import type { CoreDeps } from '../../deps.ts';
import { describeError } from '../../errors.ts';
import { JOBS } from '../../job-names.ts';
import { shopSessionFor } from '../shop-session.ts';
import { shopifyDeps, webhookUrl } from '../shopify-deps.ts';
import { listRemoteSubscriptions, registerWebhooks } from '../webhook-registration.ts';
import { SYNC_TOPICS } from '../webhook-topics.ts';
import { backfill } from './backfill.ts';

/** The back-fill reads from the last time Shopify was known to hold a subscription, less this margin. */
export const BACKFILL_MARGIN_MS = 60_000;

export interface CheckReport {
  missing: string[];
}

/**
 * Lists the shop's subscriptions on Shopify (one call) and compares them with ours: those Shopify holds
 * are stamped checked; those it dropped (it deletes shop-specific subscriptions that keep failing) are
 * marked missing, so Sync Health shows them at once, and their re-registration is queued in the same
 * transaction (`shopify.webhooks-reregister`).
 */
export async function checkSubscriptions(deps: CoreDeps, tenantId: string): Promise<CheckReport> {
  const s = shopifyDeps(deps);
  const session = await shopSessionFor(deps, tenantId, 'background');
  if (!s || !session) return { missing: [] };
  const remote = await listRemoteSubscriptions(s.shopifyApp, { tenantId, ...session });
  const missing = SYNC_TOPICS.filter((t) => !remote.has(t));
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    for (const [topic, gid] of remote) {
      const sub = { topic, gid, callbackUrl: webhookUrl(s.shopifyApp), apiVersion: s.shopifyApp.apiVersion };
      await rememberSubscription(tx, tenantId, sub, false, now);
    }
    await markMissing(tx, tenantId, missing, now, BACKFILL_MARGIN_MS);
    if (missing.length > 0)
      await deps.enqueue(JOBS.shopifyWebhooksReregister, { tenantId }, { singletonKey: tenantId, tx });
  });
  if (missing.length > 0)
    deps.logger.warn({ tenantId, missing }, 'webhook subscriptions missing on Shopify; re-registering');
  return { missing };
}

export interface ReregisterReport {
  created: number;
  backfilled: { topic: string; records: number; note: string | null }[];
}

/**
 * Registers missing subscriptions again, then back-fills what their topics would have delivered
 * meanwhile (see backfill). A failure is noted on the missing rows (Sync Health says why) and thrown,
 * so the job retries; a back-fill still pending after a retry is done then.
 */
export async function reregisterMissing(deps: CoreDeps, tenantId: string): Promise<ReregisterReport> {
  const s = shopifyDeps(deps);
  const session = await shopSessionFor(deps, tenantId, 'background');
  if (!s || !session) return { created: 0, backfilled: [] };
  const before = await listSubscriptions(deps.db, tenantId);
  const missing = before.filter((r) => r.missingSince !== null).map((r) => r.topic);
  let created = 0;
  try {
    created = await registerWebhooks(deps.db, s.shopifyApp, { tenantId, ...session }, deps.clock.now());
  } catch (err) {
    const why = describeError(err).message;
    await noteReregisterError(deps.db, tenantId, missing, why);
    throw err;
  }
  if (created > 0) deps.logger.warn({ tenantId, created }, 'missing webhook subscriptions registered again');
  const pending = before
    .filter((r) => r.backfillFrom !== null && r.backfilledAt === null)
    .map((r) => ({ topic: r.topic, from: r.backfillFrom as Date }));
  const backfilled = pending.length > 0 ? await backfill(deps, session, tenantId, pending) : [];
  return { created, backfilled };
}

export function checkedTenants(deps: CoreDeps): Promise<string[]> {
  return tenantsToCheck(deps.db);
}
