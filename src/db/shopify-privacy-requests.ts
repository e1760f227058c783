import type { Queryable } from './db.ts';

/** A privacy webhook (customers/redact, customers/data_request, shop/redact) and what was done about it. */
export interface PrivacyRequest {
  tenantId: string;
  topic: string;
  /** Shopify's customer id, as its digits (64-bit). */
  shopifyCustomerId: string | null;
  customerEmail: string | null;
  actionTaken: string;
  receivedAt: Date;
}

export async function insertPrivacyRequest(q: Queryable, r: PrivacyRequest): Promise<void> {
  await q.query(
    `insert into shopify_privacy_requests (tenant_id, topic, shopify_customer_id, customer_email, action_taken, received_at)
     values ($1, $2, $3, $4, $5, $6)`,
    [r.tenantId, r.topic, r.shopifyCustomerId, r.customerEmail, r.actionTaken, r.receivedAt],
  );
}
