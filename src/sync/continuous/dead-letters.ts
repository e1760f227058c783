import { settleDeadLetters, type DeadLetterRow } from '../../db/shopify-dead-letters.ts';
import { reopenDeliveries } from '../../db/shopify-webhook-inbox.ts';
import type { CoreDeps } from '../../deps.ts';
import { JOBS } from '../../job-names.ts';

/**
 * Replays dead letters: each is closed and its work queued again in one transaction (a push pushes
 * the entity's latest state; a webhook's deliveries go back to pending and are applied again). If the
 * cause is not fixed, the work fails again and the same letter opens again, its attempts counted on and
 * the new failure's message shown (recordDeadLetter).
 */
export async function replayDeadLetters(
  deps: CoreDeps,
  tenantId: string,
  ids: readonly number[] | 'all',
): Promise<DeadLetterRow[]> {
  const enqueue = deps.enqueue;
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const letters = await settleDeadLetters(tx, tenantId, ids, 'replayed', now);
    for (const l of letters) {
      if (l.direction === 'outbound') {
        const data = { tenantId, entity: l.entity, localId: l.localId };
        await enqueue(JOBS.shopifyPush, data, { singletonKey: `${tenantId}:${l.entity}:${l.localId}`, tx });
      } else {
        const inboxIds = (l.payload['inboxIds'] as number[] | undefined) ?? [];
        await reopenDeliveries(tx, tenantId, inboxIds);
        await enqueue(JOBS.shopifyApplyWebhooks, { tenantId }, { singletonKey: tenantId, tx });
      }
    }
    return letters;
  });
}

/** Discards dead letters: closed, nothing re-run (the merchant decided the change should not sync). */
export function discardDeadLetters(
  deps: CoreDeps,
  tenantId: string,
  ids: readonly number[] | 'all',
): Promise<DeadLetterRow[]> {
  return settleDeadLetters(deps.db, tenantId, ids, 'discarded', deps.clock.now());
}
