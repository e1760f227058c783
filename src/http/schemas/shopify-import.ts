import { z } from 'zod';
import type { ParkedRow } from '../../db/shopify-imports.ts';
import type { ImportProgress } from '../../sync/import/progress.ts';
import { limit, pageOf } from './common.ts';

const state = z.enum(['pending', 'running', 'paused', 'failed', 'completed']);

export const importProgressJson = z.object({
  id: z.string(),
  state,
  reason: z.string().nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  resources: z.array(
    z.object({
      resource: z.enum(['locations', 'products', 'customers', 'orders', 'inventory']),
      /** How the resource is read: a bulk operation or page by page (null until chosen). */
      mode: z.enum(['bulk', 'paged']).nullable(),
      state,
      reason: z.string().nullable(),
      done: z.number().int(),
      parked: z.number().int(),
      total: z.number().int().nullable(),
      rate_per_second: z.number().nullable(),
      eta_seconds: z.number().int().nullable(),
    }),
  ),
});

export function importProgressToJson(p: ImportProgress): z.infer<typeof importProgressJson> {
  return {
    id: p.id,
    state: p.state,
    reason: p.reason,
    started_at: p.startedAt?.toISOString() ?? null,
    finished_at: p.finishedAt?.toISOString() ?? null,
    resources: p.resources.map((r) => ({
      resource: r.resource,
      mode: r.mode,
      state: r.state,
      reason: r.reason,
      done: r.done,
      parked: r.parked,
      total: r.total,
      rate_per_second: r.ratePerSecond,
      eta_seconds: r.etaSeconds,
    })),
  };
}

export const parkedQuery = z.strictObject({
  limit,
  cursor: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
});

export const parkedJson = z.object({
  id: z.number().int(),
  resource: z.string(),
  gid: z.string(),
  reason: z.string(),
  payload: z.unknown(),
  created_at: z.string(),
});
export const parkedPage = pageOf(parkedJson);

export function parkedToJson(p: ParkedRow): z.infer<typeof parkedJson> {
  return {
    id: p.id,
    resource: p.resource,
    gid: p.gid,
    reason: p.reason,
    payload: p.payload,
    created_at: p.createdAt.toISOString(),
  };
}
