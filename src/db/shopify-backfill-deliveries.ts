import { storableJson } from '../domain/shopify-map/webhook-json.ts';
import type { Queryable } from './db.ts';

/** A record a back-fill found changed on Shopify: written to the inbox as a pointer the apply job reads back. */
export interface BackfillPointer {
  /** The header topic the delivery would have had (products/update, products/delete …). */
  topic: string;
  gid: string;
  /** Shopify's updatedAt (or the deletion's occurredAt), part of the pointer's identity. */
  at: string;
}

/**
 * Writes back-fill pointers to the inbox as pending deliveries marked `backfill` (no trigger time: they
 * count in no lag figure). The body is only the record's ids and time, so the apply job reads the
 * record's current state from Shopify, as for any incomplete payload. A pointer already written (same
 * record and time) is not written twice. Returns how many were written.
 */
export async function storeBackfillPointers(
  q: Queryable,
  tenantId: string,
  shop: string,
  pointers: readonly BackfillPointer[],
  now: Date,
): Promise<number> {
  if (pointers.length === 0) return 0;
  const raws = pointers.map((p) => {
    const digits = /\/(\d+)$/.exec(p.gid)?.[1];
    const id = digits === undefined ? '' : `"id":${digits},`;
    const time = p.topic.endsWith('/delete') ? '' : `,"updated_at":${JSON.stringify(p.at)}`;
    return `{${id}"admin_graphql_api_id":${JSON.stringify(p.gid)}${time}}`;
  });
  const { rows } = await q.query<{ n: number }>(
    `with ins as (
       insert into shopify_webhook_inbox (tenant_id, webhook_id, topic, shop, received_at, body, raw_body, state, backfill)
       select $1::uuid, w.webhook_id, w.topic, $2, $3, w.body::jsonb, w.raw, 'pending', true
         from unnest($4::text[], $5::text[], $6::text[], $7::text[]) as w(webhook_id, topic, body, raw)
       on conflict (webhook_id) do nothing
       returning 1)
     select count(*)::int as n from ins`,
    [
      tenantId,
      shop,
      now,
      pointers.map((p) => `backfill:${tenantId}:${p.gid}:${p.at}`),
      pointers.map((p) => p.topic),
      raws.map((r) => storableJson(r)),
      raws,
    ],
  );
  return Number(rows[0]?.n ?? 0);
}
