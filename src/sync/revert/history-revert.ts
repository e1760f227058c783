import { CoreError } from '../../core/errors.ts';
import { runAgainOnDeadlock, type WriteContext } from '../../core/write-context.ts';
import { PG_UNIQUE_VIOLATION, pgErrorCode, type Db, type Queryable } from '../../db/db.ts';
import { joinTransaction } from '../../db/joined-transaction.ts';
import { getConnection } from '../../db/shopify-connections.ts';
import {
  findLinkedEntry,
  getHistoryEntry,
  insertHistory,
  type HistoryRow,
} from '../../db/shopify-sync-history.ts';
import type { ChangedSince, RevertField, SkippedField } from '../../domain/revert-plan.ts';
import type { MergedKind } from '../../domain/synced-kinds.ts';
import { refuse, type RevertKind } from './revert-types.ts';
import type { AnyAdapter } from '../entities/adapter.ts';
export type { RevertKind } from './revert-types.ts';
import { revertRecord } from './record-revert.ts';
import { revertStock } from './stock-revert.ts';

/**
 * Revert and Redo of a Sync History entry. A revert rolls back the fields the entry changed; a redo
 * re-applies what a revert rolled back (asked of the revert entry, or of the entry that was reverted,
 * it acts on the revert). Both write Retailos through the back-office use cases a merchant's edit goes
 * through (one `changes` row; the outbox relay pushes it, so the three-way merge and echo suppression
 * hold as for any edit), and record a new entry (origin `revert` / `redo`, direction outbound) linked
 * to the entry they act on, in the same transaction. An entry is reverted at most once and a revert
 * redone at most once (a unique index; the entry's row is locked meanwhile), so a double click or two
 * concurrent requests make one change and the second is answered 409 with the first's entry.
 */

export interface RevertRequest {
  kind: RevertKind;
  entryId: number;
  /** The merchant confirmed overwriting the fields changed since the entry. */
  confirm: boolean;
  /** Plan only: what the action would move (and what changed since), writing nothing. */
  dryRun?: boolean;
  ctx: WriteContext;
}

/** What one revert or redo made (or, dry, would make): the new entry, the fields moved, left, changed since. */
export interface RevertOutcome {
  /** Null for a dry run. */
  entry: HistoryRow | null;
  fields: RevertField[];
  skipped: SkippedField[];
  changedSince: ChangedSince[];
}

export interface RevertDeps {
  db: Db;
  adapters: Readonly<Record<MergedKind, AnyAdapter>>;
}

const missing = (id: number): CoreError =>
  new CoreError('not_found', 'not_found', `Sync History entry ${id} does not exist`, { id });

/** Revert or redo one entry of the tenant's; refusals are CoreErrors (404, 409, 422) with the reason. */
export async function revertHistoryEntry(deps: RevertDeps, req: RevertRequest): Promise<RevertOutcome> {
  const { tenantId } = req.ctx;
  const asked = await getHistoryEntry(deps.db, tenantId, req.entryId);
  if (!asked) throw missing(req.entryId);
  const source = await sourceOf(deps.db, tenantId, req.kind, asked);
  refuseEntry(source);
  await requireSyncing(deps.db, tenantId);
  // The revert's writes meet live sync like any merchant write (issue 16): Postgres aborting the whole
  // transaction (a deadlock) changed nothing, so it runs again, as commitWrite's do.
  const outcome = await runAgainOnDeadlock(() =>
    deps.db.transaction(async (tx) => {
      // One revert (or redo) of an entry at a time: the second waits here, then finds the first's link.
      if (!(await getHistoryEntry(tx, tenantId, source.id, true))) throw missing(source.id);
      await refuseDone(tx, tenantId, req.kind, source);
      const db = joinTransaction(deps.db, tx);
      // The relay is told after our commit (below), not after the joined use case's inner "commit".
      const ctx: WriteContext = { ...req.ctx, changesRecorded: () => Promise.resolve() };
      const ask = { kind: req.kind, confirm: req.confirm, dryRun: req.dryRun === true };
      const made =
        source.entity === 'inventory_level'
          ? await revertStock(db, ctx, ask, source)
          : await revertRecord(db, ctx, deps.adapters[source.entity as MergedKind], ask, source);
      const { fields, skipped, changedSince } = made;
      if (!made.entry) return { entry: null, fields, skipped, changedSince };
      const stored = { ...made.entry, linkedEntryId: source.id };
      const [id] = await insertHistory(tx, tenantId, [stored], ctx.clock.now());
      const entry = (await getHistoryEntry(tx, tenantId, id as number)) as HistoryRow;
      return { entry, fields, skipped, changedSince };
    }),
  ).catch(async (err: unknown) => {
    if (pgErrorCode(err) !== PG_UNIQUE_VIOLATION) throw err;
    await refuseDone(deps.db, tenantId, req.kind, source);
    throw err;
  });
  if (outcome.entry) await req.ctx.changesRecorded(tenantId, req.ctx.origin);
  return outcome;
}

/** The entry the action works from: a revert, the entry asked; a redo, the revert (of the entry asked). */
async function sourceOf(
  db: Queryable,
  tenantId: string,
  kind: RevertKind,
  asked: HistoryRow,
): Promise<HistoryRow> {
  if (kind === 'revert') {
    if (asked.origin === 'revert') {
      throw refuse('use_redo', 'this entry is a revert: use Redo to re-apply the change it rolled back', {
        entry_id: asked.id,
      });
    }
    return asked;
  }
  if (asked.origin === 'revert') return asked;
  const revert = await findLinkedEntry(db, tenantId, asked.id, 'revert');
  if (!revert) {
    throw refuse('not_reverted', 'only a reverted change can be redone: this one was not reverted', {
      entry_id: asked.id,
    });
  }
  return revert;
}

/** Entries nothing can be rolled back from, with the reason. */
function refuseEntry(e: HistoryRow): void {
  const details = { entry_id: e.id };
  if (e.outcome === 'failed') {
    throw refuse(
      'entry_failed',
      'this change failed and was never applied: there is nothing to roll back',
      details,
    );
  }
  if (e.origin === 'import') {
    throw refuse(
      'nothing_to_revert',
      'an import copied this record from Shopify: it has no earlier state in Retailos to go back to',
      details,
    );
  }
  if (e.entity === 'location') {
    throw refuse(
      'not_revertable',
      'locations are managed in Shopify: Retailos does not change them',
      details,
    );
  }
  if (e.action === 'create') {
    throw refuse(
      'nothing_to_revert',
      'this change created the record: it has no earlier state to go back to (delete the record instead)',
      details,
    );
  }
  if (e.action === 'delete' || e.before === null || e.after === null) {
    throw refuse('not_revertable', 'a deleted record cannot be brought back by a revert', details);
  }
}

/** A revert needs the store's sync running: its change must reach Shopify. */
async function requireSyncing(db: Queryable, tenantId: string): Promise<void> {
  const c = await getConnection(db, tenantId);
  if (c?.state === 'syncing') return;
  const why =
    !c || c.state === 'disconnected'
      ? 'the store is disconnected'
      : c.state === 'importing'
        ? 'the store is still importing'
        : c.state === 'error_auth'
          ? 'the store needs to be connected again'
          : 'the connection to the store failed';
  throw new CoreError(
    'conflict',
    'not_syncing',
    `${why}: a revert must reach Shopify, so it waits until the sync runs`,
    {
      state: c?.state ?? 'disconnected',
    },
  );
}

/** The entry already has its revert (or the revert its redo): 409 naming it. */
async function refuseDone(
  q: Queryable,
  tenantId: string,
  kind: RevertKind,
  source: HistoryRow,
): Promise<void> {
  const done = await findLinkedEntry(q, tenantId, source.id, kind);
  if (!done) return;
  throw new CoreError(
    'conflict',
    kind === 'revert' ? 'already_reverted' : 'already_redone',
    kind === 'revert'
      ? `this change was already reverted (entry ${done.id})`
      : `this revert was already redone (entry ${done.id})`,
    { entry_id: done.id },
  );
}
