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
