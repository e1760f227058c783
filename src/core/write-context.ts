import type { Clock } from '../clock.ts';
import type { ChangeOrigin } from '../domain/entities.ts';

/** Who writes, for which tenant, at what time. Every core write takes one. */
export interface WriteContext {
  tenantId: string;
  origin: ChangeOrigin;
  clock: Clock;
}
