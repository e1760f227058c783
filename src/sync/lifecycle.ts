import { searchCustomers, updateCustomer } from '../core/customers.ts';
import { writeContextOf } from '../core/write-context.ts';
import {
  markApplied,
  pendingDeliveries,
  settleDeliveries,
  type PendingDelivery,
} from '../db/shopify-webhook-inbox.ts';
import { insertPrivacyRequest } from '../db/shopify-privacy-requests.ts';
import type { CoreDeps } from '../deps.ts';
import { PermanentError } from '../errors.ts';
import { stopSync } from './connect.ts';
import { call } from './entities/shopify-write.ts';
import { shopSessionFor } from './shop-session.ts';
import { LIFECYCLE_TOPICS } from './webhook-topics.ts';
import { forgetWebhooks } from './webhook-registration.ts';

interface PrivacyCustomer {
  /** A 64-bit id: the inbox reads bodies losslessly, so one past 2^53 is a bigint (stored as digits). */
  id?: bigint | number | string;
  email?: string | null;
}

async function recordPrivacy(
  deps: CoreDeps,
  tenantId: string,
  topic: string,
  customer: PrivacyCustomer | undefined,
  action: string,
) {
  await insertPrivacyRequest(deps.db, {
    tenantId,
    topic,
    shopifyCustomerId: customer?.id === undefined ? null : String(customer.id),
    customerEmail: customer?.email ?? null,
    actionTaken: action,
    receivedAt: deps.clock.now(),
  });
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
  const ctx = writeContextOf(deps, tenantId, 'shopify');
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

/**
 * The shop header of a delivery is not signed (the HMAC is of the app's one secret, the same for every
 * shop): a lifecycle payload that names a shop (app/uninstalled's `myshopify_domain`, the privacy
 * topics' `shop_domain`) must name the header's shop, or the delivery is not acted on.
 */
function namesAnotherShop(d: PendingDelivery): string | null {
  for (const key of ['myshopify_domain', 'shop_domain']) {
    const named = d.body[key];
    if (typeof named === 'string' && named.toLowerCase() !== d.shop.toLowerCase())
      return `${d.topic} ignored: the payload names ${named}, not ${d.shop}`;
  }
  return null;
}

/**
 * Why an app/uninstalled delivery is not to be believed, or null when Shopify confirms it: the shop's
 * token no longer works (a `shop { id }` query answered 401, or a refresh refused). A token Shopify
 * still accepts means the app is still installed.
 */
async function uninstallNotConfirmed(
  deps: CoreDeps,
  tenantId: string,
  d: PendingDelivery,
): Promise<string | null> {
  let session;
  try {
    session = await shopSessionFor(deps, tenantId);
  } catch (err) {
    if (err instanceof PermanentError) return null; // the refresh was refused: the grant is gone
    throw err;
  }
  if (!session) return null; // no token left: already disconnected, nothing to confirm
  try {
    await call(session, 'query { shop { id } }', {});
  } catch (err) {
    if (err instanceof PermanentError && err.errorClass === 'unauthorized') return null;
    throw err; // cannot tell yet: the job retries
  }
  return `app/uninstalled ignored: Shopify still accepts ${d.shop}'s access token, so the app is installed`;
}

async function applyOne(deps: CoreDeps, tenantId: string, d: PendingDelivery): Promise<void> {
  const customer = d.body['customer'] as PrivacyCustomer | undefined;
  const wrongShop = namesAnotherShop(d);
  const doubt =
    wrongShop ?? (d.topic === 'app/uninstalled' ? await uninstallNotConfirmed(deps, tenantId, d) : null);
  if (doubt) {
    deps.logger.warn({ tenantId, shop: d.shop, topic: d.topic }, doubt);
    await settleDeliveries(deps.db, [d.id], 'ignored', deps.clock.now(), doubt);
    return;
  }
  if (d.topic === 'app/uninstalled') {
    // Confirmed: the token is dead on Shopify's side. Forget everything locally, call nothing more.
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
