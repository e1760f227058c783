import { searchCustomers, updateCustomer } from '../core/customers.ts';
import { markApplied, pendingDeliveries, type PendingDelivery } from '../db/shopify-webhook-inbox.ts';
import type { CoreDeps } from '../deps.ts';
import { stopSync } from './connect.ts';
import { LIFECYCLE_TOPICS } from './webhook-topics.ts';
import { forgetWebhooks } from './webhook-registration.ts';

interface PrivacyCustomer {
  id?: number | string;
  email?: string | null;
}

async function recordPrivacy(
  deps: CoreDeps,
  tenantId: string,
  topic: string,
  customer: PrivacyCustomer | undefined,
  action: string,
) {
  await deps.db.query(
    `insert into shopify_privacy_requests (tenant_id, topic, shopify_customer_id, customer_email, action_taken, received_at)
     values ($1, $2, $3, $4, $5, $6)`,
    [
      tenantId,
      topic,
      customer?.id === undefined ? null : String(customer.id),
      customer?.email ?? null,
      action,
      deps.clock.now(),
    ],
  );
  deps.logger.info({ tenantId, topic, action }, 'shopify privacy request handled');
}

/**
 * customers/redact: erase the customer's personal data in Retailos (orders keep their totals). A
 * customer needs a name, email or phone, so the record keeps the placeholder name "Redacted".
 */
async function redactCustomer(
  deps: CoreDeps,
  tenantId: string,
  customer: PrivacyCustomer | undefined,
): Promise<string> {
  const email = customer?.email?.trim();
  if (!email) return 'nothing to redact: the request names no email';
  const matches = await searchCustomers(deps.db, tenantId, { email }, 10);
  const ctx = { tenantId, origin: 'shopify' as const, clock: deps.clock };
  for (const c of matches) {
    await updateCustomer(deps.db, ctx, c.id, {
      email: null,
      firstName: 'Redacted',
      lastName: '',
      phone: null,
      note: '',
      addresses: [],
      tags: [],
    });
  }
  return `redacted ${matches.length} customer record(s)`;
}

async function applyOne(deps: CoreDeps, tenantId: string, d: PendingDelivery): Promise<void> {
  const customer = d.body['customer'] as PrivacyCustomer | undefined;
  if (d.topic === 'app/uninstalled') {
    // The token is already dead on Shopify's side: forget everything locally, call nothing.
    await forgetWebhooks(deps.db, tenantId);
    await stopSync(deps, tenantId, 'the app was uninstalled on Shopify');
    deps.logger.warn({ tenantId, shop: d.shop }, 'app uninstalled on Shopify: sync stopped, data kept');
  } else if (d.topic === 'customers/redact') {
    await recordPrivacy(deps, tenantId, d.topic, customer, await redactCustomer(deps, tenantId, customer));
  } else if (d.topic === 'customers/data_request') {
    await recordPrivacy(deps, tenantId, d.topic, customer, 'recorded for the merchant to answer');
  } else if (d.topic === 'shop/redact') {
    await recordPrivacy(
      deps,
      tenantId,
      d.topic,
      undefined,
      'connection data already forgotten at uninstall; merchant data kept in Retailos',
    );
  }
  await markApplied(deps.db, d.id, deps.clock.now());
}

/** Applies pending lifecycle deliveries (uninstall and privacy) of one tenant, oldest first. */
export async function applyLifecycleWebhooks(deps: CoreDeps, tenantId: string): Promise<number> {
  const pending = await pendingDeliveries(deps.db, tenantId, LIFECYCLE_TOPICS);
  for (const d of pending) await applyOne(deps, tenantId, d);
  return pending.length;
}
