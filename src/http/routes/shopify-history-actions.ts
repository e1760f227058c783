import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CoreDeps } from '../../deps.ts';
import { syncAdapters } from '../../sync/continuous/adapters.ts';
import { revertHistoryEntry, type RevertKind } from '../../sync/revert/history-revert.ts';
import {
  historyEntryParams,
  revertBody,
  revertJson,
  revertToJson,
} from '../schemas/shopify-history-actions.ts';
import { writeContext } from '../write-context.ts';

const DESCRIPTION: Record<RevertKind, string> = {
  revert:
    'Rolls back the fields this entry changed, on both sides, as a merchant edit of the record (pushed to Shopify ' +
    'by the sync), and records a new entry with origin revert linked to this one. 409 changed_since lists the ' +
    'fields changed again since (with their current values) unless confirm is true; 409 already_reverted names ' +
    'the revert an entry already has; dry_run answers what would move (changed_since included) and writes nothing; 409 not_syncing while the store is not syncing; 422 with the reason for a ' +
    'failed entry, an import, a creation or deletion, and fields Shopify does not let an app change (fields_not_writable). ' +
    'Stock entries take back their delta (an adjustment), so sales made since still count.',
  redo:
    'Re-applies a reverted change: asked of a revert entry, or of the entry that was reverted, it rolls back that ' +
    'revert (same rules as revert) and records a new entry with origin redo linked to the revert. ' +
    '422 not_reverted for an entry that was not reverted; 409 already_redone names the redo a revert already has.',
};

/** POST /api/shopify/history/:id/revert and …/redo. */
export function shopifyHistoryActionRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const adapters = syncAdapters(deps);
  for (const kind of ['revert', 'redo'] as const) {
    r.post(
      `/shopify/history/:id/${kind}`,
      {
        schema: {
          tags: ['shopify'],
          description: DESCRIPTION[kind],
          params: historyEntryParams,
          body: revertBody,
          response: { 200: revertJson },
        },
      },
      async (req) =>
        revertToJson(
          await revertHistoryEntry(
            { db: deps.db, adapters },
            {
              kind,
              entryId: req.params.id,
              confirm: req.body?.confirm ?? false,
              dryRun: req.body?.dry_run ?? false,
              ctx: writeContext(req, deps),
            },
          ),
        ),
    );
  }
}
