import { z } from 'zod';
import { PUSHED_KINDS } from '../../domain/synced-kinds.ts';
import type { DeadLetterAttempt, DeadLetterRow } from '../../db/shopify-dead-letters.ts';
import type { SyncHealth } from '../../sync/continuous/health.ts';
import { iso, limit, pageOf } from './common.ts';

export const cursor = z
  .string()
  .regex(/^\d{1,18}$/)
  .optional();

export const deadLetterQuery = z.strictObject({
  limit,
  cursor,
  state: z.enum(['open', 'replayed', 'discarded']).optional(),
  entity: z.enum(PUSHED_KINDS).optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  error_class: z.string().max(100).optional(),
});

export const deadLetterJson = z.object({
  id: z.number().int(),
  direction: z.enum(['inbound', 'outbound']),
  entity: z.string(),
  local_id: z.string().nullable(),
  gid: z.string().nullable(),
  display_name: z.string(),
  error_class: z.string(),
  first_error: z.string(),
  last_error: z.string(),
  attempts: z.number().int(),
  first_failed_at: z.string(),
  last_failed_at: z.string(),
  state: z.enum(['open', 'replayed', 'discarded']),
  settled_at: z.string().nullable(),
  waiting_changes: z.number().int(),
});
export const deadLetterPage = pageOf(deadLetterJson);

export function deadLetterToJson(d: DeadLetterRow): z.infer<typeof deadLetterJson> {
  return {
    id: d.id,
    direction: d.direction,
    entity: d.entity,
    local_id: d.localId,
    gid: d.gid,
    display_name: d.displayName,
    error_class: d.errorClass,
    first_error: d.firstError,
    last_error: d.lastError,
    attempts: d.attempts,
    first_failed_at: d.firstFailedAt.toISOString(),
    last_failed_at: d.lastFailedAt.toISOString(),
    state: d.state,
    settled_at: iso(d.settledAt),
    waiting_changes: d.waitingChanges,
  };
}

export const deadLetterDetailJson = deadLetterJson.extend({
  attempt_log: z
    .array(
      z.object({
        attempt: z.number().int().describe("the letter's attempt count once this failure was counted"),
        failed_at: z.string(),
        error_class: z.string(),
        error: z.string(),
      }),
    )
    .describe('every failure of the letter, oldest first (before 0022, only its first and last were kept)'),
});

export function deadLetterDetailToJson(
  d: DeadLetterRow,
  attempts: readonly DeadLetterAttempt[],
): z.infer<typeof deadLetterDetailJson> {
  return {
    ...deadLetterToJson(d),
    attempt_log: attempts.map((a) => ({
      attempt: a.attempt,
      failed_at: a.failedAt.toISOString(),
      error_class: a.errorClass,
      error: a.error,
    })),
  };
}

export const letterParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
export const settledJson = z.object({ settled: z.array(deadLetterJson) });

const lag = z.number().int().nullable();
export const healthJson = z.object({
  connection: z.object({ shop: z.string(), state: z.string(), reason: z.string().nullable() }).nullable(),
  subscriptions: z.array(
    z.object({
      topic: z.string(),
      state: z.enum(['active', 'missing', 'failing']),
      last_delivery_at: z.string().nullable(),
      deliveries_24h: z.number().int(),
      failures_24h: z.number().int(),
      lag_p50_ms: lag,
      lag_p95_ms: lag,
      lag_p99_ms: lag,
      last_checked_at: z.string().nullable(),
      reregistered_at: z.string().nullable(),
      missing_since: z.string().nullable().describe('since when Shopify no longer lists it'),
      reregister_error: z.string().nullable().describe('why the last re-registration failed (retried)'),
      backfill: z
        .object({
          from: z.string(),
          at: z.string().nullable().describe('null while pending'),
          records: z.number().int().nullable(),
          note: z.string().nullable().describe('why nothing could be back-filled for this topic'),
        })
        .nullable()
        .describe('what changed on Shopify while it was missing, read again after its re-registration'),
    }),
  ),
  unknown_topics_24h: z.number().int(),
  inbox: z.object({ pending: z.number().int(), oldest_pending_age_seconds: z.number().int().nullable() }),
  outbox: z.object({ waiting: z.number().int(), oldest_age_seconds: z.number().int().nullable() }),
  queues: z.record(z.string(), z.object({ queued: z.number().int(), active: z.number().int() })).nullable(),
  dead_letters: z.object({ open: z.number().int() }),
  throttle: z
    .object({
      maximum_available: z.number(),
      currently_available: z.number(),
      restore_rate: z.number(),
      calls: z.number().int(),
      throttled: z.number().int(),
      points_spent: z.number(),
      since: z.string(),
    })
    .nullable(),
  import_state: z.string().nullable(),
  import: z
    .object({
      state: z.string(),
      reason: z.string().nullable(),
      started_at: z.string().nullable(),
      updated_at: z.string(),
      finished_at: z.string().nullable(),
      done: z.number().int(),
      total: z.number().int().nullable(),
      resources: z.array(
        z.object({
          resource: z.string(),
          state: z.string(),
          done: z.number().int(),
          total: z.number().int().nullable(),
          reason: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
  reconciliation: z.object({
    last: z
      .object({
        id: z.string(),
        state: z.enum(['running', 'completed', 'failed']),
        dry_run: z.boolean(),
        trigger: z.string(),
        started_at: z.string(),
        finished_at: z.string().nullable(),
        reason: z.string().nullable(),
        compared: z.number().int(),
        differences: z.number().int(),
        repaired: z.number().int(),
        left_to_live_sync: z.number().int(),
        failed: z.number().int(),
      })
      .nullable()
      .describe('the latest run; null: none has run yet'),
    next_at: z.string().nullable().describe('when the daily run is next due; null: the shop is not syncing'),
  }),
  verdict: z.object({
    level: z.enum(['off', 'healthy', 'working', 'attention', 'failed']),
    summary: z.string().describe('the weightiest finding, in words'),
    reasons: z.array(z.string()).describe('every finding, weightiest first'),
  }),
});

export function healthToJson(h: SyncHealth): z.infer<typeof healthJson> {
  return {
    connection: h.connection,
    subscriptions: h.subscriptions.map((s) => ({
      topic: s.topic,
      state: s.state,
      last_delivery_at: iso(s.lastDeliveryAt),
      deliveries_24h: s.deliveries24h,
      failures_24h: s.failures24h,
      lag_p50_ms: s.lagP50Ms,
      lag_p95_ms: s.lagP95Ms,
      lag_p99_ms: s.lagP99Ms,
      last_checked_at: iso(s.lastCheckedAt),
      reregistered_at: iso(s.reregisteredAt),
      missing_since: iso(s.missingSince),
      reregister_error: s.reregisterError,
      backfill: s.backfill
        ? {
            from: s.backfill.from.toISOString(),
            at: iso(s.backfill.at),
            records: s.backfill.records,
            note: s.backfill.note,
          }
        : null,
    })),
    unknown_topics_24h: h.unknownTopics24h,
    inbox: { pending: h.inbox.pending, oldest_pending_age_seconds: h.inbox.oldestPendingAgeSeconds },
    outbox: { waiting: h.outbox.waiting, oldest_age_seconds: h.outbox.oldestAgeSeconds },
    queues: h.queues,
    dead_letters: h.deadLetters,
    throttle: h.throttle
      ? {
          maximum_available: h.throttle.maximumAvailable,
          currently_available: h.throttle.currentlyAvailable,
          restore_rate: h.throttle.restoreRate,
          calls: h.throttle.calls,
          throttled: h.throttle.throttled,
          points_spent: h.throttle.pointsSpent,
          since: h.throttle.since.toISOString(),
        }
      : null,
    import_state: h.importState,
    import: h.importRun
      ? {
          state: h.importRun.state,
          reason: h.importRun.reason,
          started_at: iso(h.importRun.startedAt),
          updated_at: h.importRun.updatedAt.toISOString(),
          finished_at: iso(h.importRun.finishedAt),
          done: h.importRun.done,
          total: h.importRun.total,
          resources: h.importRun.resources,
        }
      : null,
    reconciliation: {
      last: h.reconciliation.last
        ? {
            id: h.reconciliation.last.id,
            state: h.reconciliation.last.state,
            dry_run: h.reconciliation.last.dryRun,
            trigger: h.reconciliation.last.trigger,
            started_at: h.reconciliation.last.startedAt.toISOString(),
            finished_at: iso(h.reconciliation.last.finishedAt),
            reason: h.reconciliation.last.reason,
            compared: h.reconciliation.last.compared,
            differences: h.reconciliation.last.differences,
            repaired: h.reconciliation.last.repaired,
            left_to_live_sync: h.reconciliation.last.leftToLiveSync,
            failed: h.reconciliation.last.failed,
          }
        : null,
      next_at: iso(h.reconciliation.nextAt),
    },
    verdict: h.verdict,
  };
}
