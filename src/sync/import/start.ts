import { setConnectionState } from '../../db/shopify-connections.ts';
import { createImport, getLiveImport, setImportState, type ImportRun } from '../../db/shopify-imports.ts';
import { PermanentError, ThrottledError, TransientError } from '../../errors.ts';
import { JOBS } from '../../job-names.ts';
import type { ImportDeps } from './options.ts';
import { runImportStep, type StepOutcome } from './step.ts';
import { isImportStopped } from './import-stopped.ts';

export interface ImportJobData {
  tenantId: string;
}

/**
 * Starts the initial import (or returns the unfinished one, which resumes) and enqueues its job.
 * Called right after a successful connect (completeConnect).
 */
export async function startImport(deps: ImportDeps, tenantId: string): Promise<ImportRun> {
  const { run } = await createImport(deps.db, tenantId, deps.clock.now());
  try {
    await enqueueImport(deps, tenantId, 0);
  } catch (err) {
    // The connect itself succeeded; the import shows why it waits, and the next start enqueues it.
    const reason = `the import could not be queued: ${(err as Error).message}`;
    deps.logger.error({ tenantId, importId: run.id, err }, reason);
    await setImportState(deps.db, run.id, 'paused', reason, deps.clock.now());
  }
  return run;
}

export async function enqueueImport(deps: ImportDeps, tenantId: string, delayMs: number): Promise<void> {
  const data: ImportJobData = { tenantId };
  await deps.enqueue(JOBS.shopifyImport, data, {
    singletonKey: tenantId,
    ...(delayMs > 0 ? { startAfter: Math.ceil(delayMs / 1000) } : {}),
  });
}

/**
 * Wakes the tenant's import job now (a `bulk_operations/finish` delivery: an export finished), instead
 * of at its next poll; the poll stays the fallback for a delivery that never comes.
 */
export async function wakeImport(deps: ImportDeps, tenantId: string): Promise<void> {
  const data: ImportJobData = { tenantId };
  await deps.enqueue(JOBS.shopifyImport, data, { singletonKey: tenantId, wake: true });
}

/**
 * The job body: one step, then re-enqueue when there is more to do. Failures show on the import:
 * a transient one pauses it with the reason (the job retries with backoff); a refused token moves
 * the connection to error_auth and stops until the merchant reconnects; other permanent ones fail it.
 */
export async function runImportJob(deps: ImportDeps, tenantId: string): Promise<StepOutcome> {
  let outcome: StepOutcome;
  try {
    outcome = await runImportStep(deps, tenantId);
  } catch (err) {
    if (err instanceof ThrottledError) {
      // Shopify said when: wait exactly that long instead of the queue's generic backoff.
      const run = await getLiveImport(deps.db, tenantId);
      if (run)
        await setImportState(
          deps.db,
          run.id,
          'paused',
          `throttled by Shopify; resuming in ${Math.ceil(err.retryAfterMs / 1000)} s`,
          deps.clock.now(),
        );
      await enqueueImport(deps, tenantId, Math.max(1000, err.retryAfterMs));
      return { kind: 'again', delayMs: err.retryAfterMs };
    }
    if (await recordFailure(deps, tenantId, err)) throw err;
    return { kind: 'idle' };
  }
  if (outcome.kind === 'again') await enqueueImport(deps, tenantId, outcome.delayMs);
  return outcome;
}

/** Shows the failure on the import; returns whether the job should rethrow (retry or dead-letter). */
async function recordFailure(deps: ImportDeps, tenantId: string, err: unknown): Promise<boolean> {
  if (isImportStopped(err)) {
    // Stopped on purpose (disconnect, uninstall): the import already says why; nothing to retry.
    deps.logger.info({ tenantId }, 'shopify import stopped: the store is no longer connected');
    return false;
  }
  const now = deps.clock.now();
  const run = await getLiveImport(deps.db, tenantId);
  const reason = err instanceof Error ? err.message : String(err);
  if (err instanceof PermanentError && err.errorClass === 'unauthorized') {
    await setConnectionState(deps.db, tenantId, 'error_auth', reason, now);
    if (run) await setImportState(deps.db, run.id, 'paused', `${reason}; reconnect the store to resume`, now);
    deps.logger.warn({ tenantId, reason }, 'shopify import stopped: the token was refused');
    return false;
  }
  if (err instanceof PermanentError) {
    if (run) await setImportState(deps.db, run.id, 'failed', reason, now);
    return true;
  }
  if (run)
    await setImportState(
      deps.db,
      run.id,
      'paused',
      err instanceof TransientError ? reason : `unexpected: ${reason}`,
      now,
    );
  return true;
}
