// What the chaos run's reconciliation repaired, and why each repair was needed: a repair of a Shopify
// change is explained when the emulator dropped (or gave up on) the last webhook it made for the record;
// one whose last webhook was delivered, or a repair that pushed, points at live sync. Also each repair
// that pushed must have its Sync History entry under origin `reconcile`.
import type { Queryable } from '../src/db/db.ts';
import type { RunningEmulator } from '../test-support/emulator.ts';
import { gidOf } from './sides.ts';
import type { Delivered } from './verdict.ts';

export interface Repair {
  entity: string;
  name: string;
  cause: string;
  state: string;
  outcome: string | null;
  fields: string[];
  /** The last webhook the emulator made for the record: its topic and state; null when none. */
  lastWebhook: { topic: string; state: string; at: string } | null;
  /** Sync History entries with origin `reconcile` for the record. */
  reconcileEntries: number;
  /** Why the repair was needed, in words; `unexplained` when no dropped webhook accounts for it. */
  why: string;
}

interface DeliveryJson {
  seq: number;
  topic: string;
  state: string;
  triggeredAt: string;
  body: string;
  /** Each attempt: when it was sent (the emulator's clock) and Retailos's HTTP status. */
  attempts?: { at: string; status: number | null }[];
}

const idOf = (gid: string | null | undefined): string | undefined => gid?.split('/').pop();

/** The record a delivery is about: `<entity>:<id>` (levels: `level:<item id>@<location id>`). */
function aboutOf(d: DeliveryJson): string | undefined {
  const body = JSON.parse(d.body) as Record<string, unknown>;
  const [resource] = d.topic.split('/');
  if (resource === 'inventory_levels')
    return `level:${String(body['inventory_item_id'])}@${String(body['location_id'])}`;
  const entity = { products: 'product', customers: 'customer', orders: 'order' }[resource ?? ''];
  return entity && body['id'] !== undefined ? `${entity}:${String(body['id'])}` : undefined;
}

/**
 * The Shopify states of products, customers and orders the emulator delivered to Retailos (acknowledged):
 * `<entity>|<GID>` → each state's `updated_at` and when its acknowledged attempt was sent (ms), for the
 * verdict's unobserved edits (verdict.ts).
 */
export async function deliveredStates(emu: RunningEmulator, shop: string): Promise<Map<string, Delivered[]>> {
  const { deliveries } = await emu.control<{ deliveries: DeliveryJson[] }>(
    'GET',
    `/webhooks/deliveries?shop=${encodeURIComponent(shop)}`,
  );
  const out = new Map<string, Delivered[]>();
  for (const d of deliveries) {
    if (d.state !== 'delivered') continue;
    const about = aboutOf(d);
    const [entity, id] = about?.split(':') ?? [];
    if (entity !== 'product' && entity !== 'customer' && entity !== 'order') continue;
    const at = Date.parse(String((JSON.parse(d.body) as Record<string, unknown>)['updated_at']));
    if (Number.isNaN(at)) continue;
    const key = `${entity}|${gidOf(entity, id as string)}`;
    // The attempt Retailos acknowledged (2xx); sent before Retailos stored it, so never late.
    const acked = d.attempts?.findLast((a) => a.status !== null && a.status >= 200 && a.status < 300);
    const receivedAt = acked ? Date.parse(acked.at) : Number.NaN;
    const state = { updatedAt: at, receivedAt: Number.isNaN(receivedAt) ? undefined : receivedAt };
    out.set(key, [...(out.get(key) ?? []), state]);
  }
  return out;
}

const INBOUND = new Set(['shopify_changed', 'created_on_shopify', 'deleted_on_shopify']);

export async function repairsOf(
  db: Queryable,
  emu: RunningEmulator,
  shop: string,
  runId: string,
): Promise<Repair[]> {
  const { rows } = await db.query<{
    entity: string;
    local_id: string | null;
    gid: string | null;
    display_name: string;
    cause: string;
    state: string;
    outcome: string | null;
    fields: unknown;
    seen: Record<string, unknown>;
    entries: string;
  }>(
    `select d.entity, d.local_id::text, d.gid, d.display_name, d.cause, d.state, d.outcome, d.fields, d.seen,
            (select count(*) from shopify_sync_history h
              where h.tenant_id = d.tenant_id and h.entity = d.entity and h.origin = 'reconcile'
                and (h.local_id = d.local_id or h.gid = d.gid))::text as entries
       from shopify_reconcile_differences d where d.run_id = $1 order by d.entity, d.key`,
    [runId],
  );
  const { deliveries } = await emu.control<{ deliveries: DeliveryJson[] }>(
    'GET',
    `/webhooks/deliveries?shop=${encodeURIComponent(shop)}`,
  );
  const last = new Map<string, DeliveryJson>();
  for (const d of deliveries
    .filter((x) => x.topic !== 'bulk_operations/finish')
    .sort((a, b) => a.seq - b.seq)) {
    const about = aboutOf(d);
    if (about) last.set(about, d);
  }
  return rows.map((r) => {
    const about =
      r.entity === 'inventory_level'
        ? `level:${idOf(r.seen['item'] as string | null)}@${idOf(r.seen['location'] as string | null)}`
        : `${r.entity}:${idOf(r.gid)}`;
    const d = last.get(about);
    const lastWebhook = d ? { topic: d.topic, state: d.state, at: d.triggeredAt } : null;
    const pushed = !INBOUND.has(r.cause);
    const why = pushed
      ? 'a push live sync did not make'
      : d && (d.state === 'dropped' || d.state === 'failed')
        ? `its last webhook (${d.topic}) was ${d.state}`
        : 'unexplained';
    const fields = Array.isArray(r.fields)
      ? (r.fields as { path: string; base: unknown; retailos: unknown; shopify: unknown }[]).map(
          (f) =>
            `${f.path}: base ${JSON.stringify(f.base)} Retailos ${JSON.stringify(f.retailos)} Shopify ${JSON.stringify(f.shopify)}`,
        )
      : [];
    return {
      entity: r.entity,
      name: r.display_name,
      cause: r.cause,
      state: r.state,
      outcome: r.outcome,
      fields,
      lastWebhook,
      reconcileEntries: Number(r.entries),
      why,
    };
  });
}

export const describeRepair = (r: Repair): string =>
  `${r.entity} ${r.name}: ${r.cause} [${r.fields.join(', ')}] → ${r.state} (${r.outcome ?? ''}); ` +
  `last webhook ${r.lastWebhook ? `${r.lastWebhook.topic} ${r.lastWebhook.state} at ${r.lastWebhook.at}` : 'none'}; ` +
  `${r.reconcileEntries} reconcile entries; ${r.why}`;
