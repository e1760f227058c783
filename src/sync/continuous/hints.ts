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
import type { RemoteState } from './adapter.ts';
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

/** Payload → Shopify shape (webhook converters) → Retailos fields (the import's mapping), per entity. */
export const HINT_MAPPERS: Readonly<Record<SyncedEntity, (body: unknown) => Mapped<HintState>>> = {
  product: (body) => hint(productFromWebhook(body), (v) => mapProduct(v.product, v.variants)),
  customer: (body) => hint(customerFromWebhook(body), (v) => mapCustomer(v)),
  order: (body) => hint(orderFromWebhook(body), (v) => mapOrder(v.order, v.lineItems)),
};
