import {
  customerFromWebhook,
  mapCustomer,
  mapOrder,
  mapProduct,
  orderFromWebhook,
  productFromWebhook,
  type FromWebhook,
  type Mapped,
} from '../../domain/shopify-map/index.ts';
import type { RemoteState } from '../entities/adapter.ts';
import type { SyncedEntity } from './adapters.ts';

/** What a delivery tells: the entity's GID, its state when the payload is whole (else undefined: read it), and its time. */
export interface HintState {
  gid: string;
  remote: RemoteState | undefined;
  at: number;
}

function hint<T, R extends RemoteState>(
  converted: Mapped<FromWebhook<T>>,
  map: (value: T) => Mapped<R>,
): Mapped<HintState> {
  if (!converted.ok) return converted;
  const w = converted.value;
  const at = w.updatedAt?.getTime() ?? 0;
  if (!w.complete) return { ok: true, value: { gid: w.gid, remote: undefined, at } };
  const m = map(w.value);
  if (!m.ok) return m;
  return { ok: true, value: { gid: w.gid, remote: m.value, at } };
}

/**
 * A guest order's payload still carries a `customer` object (the topic's schema requires one), filled
 * with neutral values: id 0 and no Customer GID. That is no customer, not a malformed one.
 */
function withoutPlaceholderCustomer(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const customer = (body as { customer?: unknown }).customer;
  if (typeof customer !== 'object' || customer === null) return body;
  const id = (customer as { id?: unknown }).id;
  if (id !== 0 && id !== '0') return body;
  return { ...body, customer: null };
}

/** Payload → Shopify shape (webhook converters) → Retailos fields (the import's mapping), per entity. */
export const HINT_MAPPERS: Readonly<Record<SyncedEntity, (body: unknown) => Mapped<HintState>>> = {
  product: (body) => hint(productFromWebhook(body), (v) => mapProduct(v.product, v.variants)),
  customer: (body) => hint(customerFromWebhook(body), (v) => mapCustomer(v)),
  order: (body) =>
    hint(orderFromWebhook(withoutPlaceholderCustomer(body)), (v) => mapOrder(v.order, v.lineItems)),
};

/**
 * What one delivery tells of the fields it carries, even when it is not whole: its state (the fields it
 * lacks read as empty) and the snapshot keys it does not tell (`untold`). Shopify's customers/update has
 * carried no `tags` since 2025-01, so no customer delivery is ever whole, yet it tells Retailos when each
 * other field got its value (shopify-edit-time.ts). A delivery that lacks anything else tells nothing.
 */
export interface DeliveredFields {
  gid: string;
  remote: RemoteState;
  untold: readonly string[];
}

function delivered<T, R extends RemoteState>(
  converted: Mapped<FromWebhook<T>>,
  map: (value: T) => Mapped<R>,
  untoldOf: Readonly<Record<string, string>>,
): DeliveredFields | undefined {
  if (!converted.ok) return undefined;
  const w = converted.value;
  const untold = w.missing.map((k) => untoldOf[k]);
  if (!untold.every((k) => k !== undefined)) return undefined;
  const m = map(w.value);
  return m.ok ? { gid: w.gid, remote: m.value, untold: untold as string[] } : undefined;
}

/** Per entity: the delivery's fields (payload key lacking → the snapshot key it leaves untold). */
export const DELIVERED_FIELDS: Readonly<
  Record<SyncedEntity, (body: unknown) => DeliveredFields | undefined>
> = {
  product: (body) => delivered(productFromWebhook(body), (v) => mapProduct(v.product, v.variants), {}),
  customer: (body) => delivered(customerFromWebhook(body), (v) => mapCustomer(v), { tags: 'tags' }),
  order: (body) =>
    delivered(orderFromWebhook(withoutPlaceholderCustomer(body)), (v) => mapOrder(v.order, v.lineItems), {}),
};
