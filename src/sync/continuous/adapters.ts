import type { CoreDeps } from '../../deps.ts';
import { uuidFrom } from '../import/options.ts';
import type { EntityAdapter, LocalState, RemoteState } from './adapter.ts';
import { customerAdapter } from './customer-adapter.ts';
import { orderAdapter } from './order-adapter.ts';
import { productAdapter } from './product-adapter.ts';

/** Entity types the continuous sync merges and pushes (inventory has its own compare-and-set path). */
export type SyncedEntity = 'product' | 'customer' | 'order';
export const SYNCED_ENTITIES: readonly SyncedEntity[] = ['product', 'customer', 'order'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- adapters differ in their record types
export type AnyAdapter = EntityAdapter<RemoteState & any, LocalState & any>;

export function syncAdapters(deps: Pick<CoreDeps, 'randomBytes'>): Record<SyncedEntity, AnyAdapter> {
  const newId = (): string => uuidFrom(deps.randomBytes(16));
  return {
    product: productAdapter(newId),
    customer: customerAdapter(newId),
    order: orderAdapter(newId),
  };
}
