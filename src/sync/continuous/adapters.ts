import type { CoreDeps } from '../../deps.ts';
import { MERGED_KINDS, type MergedKind } from '../../domain/synced-kinds.ts';
import type { AnyAdapter } from '../entities/adapter.ts';
import { uuidFrom } from '../entities/ids.ts';
import { ENTITIES } from '../entities/registry.ts';

export type { AnyAdapter } from '../entities/adapter.ts';

/** Entity types the continuous sync merges and pushes (inventory has its own compare-and-set path). */
export type SyncedEntity = MergedKind;
export const SYNCED_ENTITIES: readonly SyncedEntity[] = MERGED_KINDS;

/** The merge adapter of each merged kind, from the entity registry. */
export function syncAdapters(deps: Pick<CoreDeps, 'randomBytes'>): Record<SyncedEntity, AnyAdapter> {
  const newId = (): string => uuidFrom(deps.randomBytes(16));
  return {
    product: ENTITIES.product.push.adapter(newId),
    customer: ENTITIES.customer.push.adapter(newId),
    order: ENTITIES.order.push.adapter(newId),
  };
}
