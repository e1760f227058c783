import { z } from 'zod';
import type { DifferenceRow, ReconcileRun } from '../../db/shopify-reconcile.ts';
import { iso, uuid } from './common.ts';

export const reconcileBody = z
  .strictObject({
    dry_run: z
      .boolean()
      .default(false)
      .describe('List the differences field by field without writing anything.'),
  })
  .optional();

export const reconcileRunParams = z.strictObject({ id: uuid });

export const reconcileRunsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const checksum = z.object({ count: z.number().int(), checksum: z.string() });

const kindReport = z.object({
  compared: z.number().int(),
  equal: z.number().int(),
  unreadable: z.number().int(),
  not_compared: z
    .number()
    .int()
    .describe(
      'Stock levels not compared: not linked yet, or a push of theirs in flight (live sync has them).',
    ),
  differences: z.number().int(),
  repaired: z.record(z.string(), z.number().int()).describe('Records repaired, per cause in words.'),
  left_to_live_sync: z
    .number()
    .int()
    .describe('Records that moved after the run read them: live sync has them.'),
  unchanged: z.number().int(),
  failed: z.number().int().describe('Records Shopify refused: each is a dead letter with the reason.'),
  shopify: checksum.describe("Shopify's side after the run: count and checksum of its snapshot hashes."),
  retailos: checksum.describe("Retailos's side after the run."),
});

export const reconcileRunJson = z.object({
  id: z.string(),
  dry_run: z.boolean(),
  trigger: z.enum(['schedule', 'demand']),
  state: z.enum(['running', 'completed', 'failed']),
  phase: z.enum(['compare', 'repair', 'done']),
  reason: z.string().nullable().describe('Why a failed run failed (it is retried later).'),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  points_spent: z.number().int(),
  progress: z.unknown(),
  report: z
    .object({
      kinds: z.record(z.string(), kindReport),
      duration_ms: z.number(),
      points_spent: z.number(),
    })
    .nullable(),
});

const fieldDifference = z.object({
  path: z.string(),
  base: z.unknown(),
  retailos: z.unknown(),
  shopify: z.unknown(),
});

export const reconcileDifferenceJson = z.object({
  entity: z.string(),
  local_id: z.string().nullable(),
  gid: z.string().nullable(),
  display_name: z.string(),
  cause: z.string(),
  fields: z.array(fieldDifference),
  state: z.enum(['pending', 'repaired', 'left_to_live_sync', 'failed', 'unchanged']),
  outcome: z.string().nullable(),
});

export const reconcileRunsJson = z.object({
  items: z.array(reconcileRunJson),
  next_run_at: z
    .string()
    .nullable()
    .describe("When the shop's next daily run is due; null when not syncing."),
});

export const reconcileRunDetailJson = reconcileRunJson.extend({
  differences: z
    .array(reconcileDifferenceJson)
    .describe('What the run found (the first 1,000), field by field.'),
});

export function runToJson(r: ReconcileRun): z.infer<typeof reconcileRunJson> {
  const report = r.report as { kinds?: unknown } | null;
  return {
    id: r.id,
    dry_run: r.dryRun,
    trigger: r.trigger,
    state: r.state,
    phase: r.phase,
    reason: r.reason,
    started_at: r.startedAt.toISOString(),
    finished_at: iso(r.finishedAt),
    points_spent: r.pointsSpent,
    progress: r.progress,
    report: report && 'kinds' in report ? (report as z.infer<typeof reconcileRunJson>['report']) : null,
  };
}

export const differenceToJson = (d: DifferenceRow): z.infer<typeof reconcileDifferenceJson> => ({
  entity: d.entity,
  local_id: d.localId,
  gid: d.gid,
  display_name: d.displayName,
  cause: d.cause,
  fields: d.fields as z.infer<typeof fieldDifference>[],
  state: d.state,
  outcome: d.outcome,
});
