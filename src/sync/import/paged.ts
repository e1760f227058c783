import {
  advancePageCheckpoint,
  parkRecords,
  patchResource,
  type ImportResourceRow,
  type ImportRun,
} from '../../db/shopify-imports.ts';
import { ThrottledError } from '../../errors.ts';
import type { ThrottleStatus } from '../../shopify/graphql-client.ts';
import type { BulkResource } from './bulk-queries.ts';
import { DEFAULTS, type ImportDeps } from './options.ts';
import { fetchPage, probeBudget, type Page, type PageCursor } from './page-fetch.ts';
import { refreshStats, statsDue } from './planner-stats.ts';
import {
  budgetNow,
  DEFAULT_LINES_PER_ORDER,
  firstAffordable,
  minFirst,
  DEFAULT_VARIANTS_PER_PRODUCT,
  pacingWaitMs,
  pageCost,
  pagePlan,
  type PagePlan,
} from './page-size.ts';
import type { ShopSession } from './shopify-calls.ts';
import { batchContext, WRITERS } from './writers.ts';
import { importStopped } from './import-stopped.ts';

/** What a paged step ends with: the resource is read to the end, or it waits for the cost budget. */
export type PagedOutcome = { kind: 'done' } | { kind: 'wait'; delayMs: number };

export type PagedResource = ImportResourceRow & { resource: BulkResource };

/** The page sizes stored when the mode was chosen (or the defaults, if it fell back from bulk without). */
function planOf(deps: ImportDeps, r: PagedResource): PagePlan {
  const fallback = r.resource === 'orders' ? DEFAULT_LINES_PER_ORDER : DEFAULT_VARIANTS_PER_PRODUCT;
  const plan = pagePlan(r.resource, r.pageChildFirst ?? fallback, deps.importOptions?.maxPageCost);
  if (r.pageFirst === null) return plan;
  const childFirst = r.pageChildFirst ?? plan.childFirst;
  return {
    ...plan,
    first: r.pageFirst,
    childFirst,
    requestedCost: pageCost(r.resource, r.pageFirst, childFirst),
  };
}

/** One page's records, id map, sync base, parked records and the cursor after it, in one transaction. */
async function commitPage(deps: ImportDeps, run: ImportRun, r: PagedResource, page: Page): Promise<number> {
  const { id: importId, tenantId } = run;
  const ctx = batchContext(deps, tenantId, importId);
  let done = 0;
  await deps.db.transaction(async (tx) => {
    const out = await WRITERS[r.resource].prepare(page.groups)(tx, ctx);
    await parkRecords(tx, tenantId, importId, r.resource, out.parked, ctx.now);
    const status = page.cost?.throttleStatus;
    const checkpoint = {
      budget: status ? { ...status, observedAt: ctx.now.toISOString() } : null,
      cursor: page.next?.after ?? null,
      outerCursor: page.next?.outerAfter ?? null,
      done: out.done,
      parked: out.parked.length,
      finished: page.next === null,
    };
    if (!(await advancePageCheckpoint(tx, importId, r.resource, checkpoint, ctx.now)))
      throw importStopped(importId);
    done = out.done;
  });
  return done;
}

/** The wait before a page of `requested` points, from Shopify's last word on the bucket. */
const paced = (requested: number, status: ThrottleStatus | undefined): PagedOutcome | undefined => {
  const delayMs = pacingWaitMs(requested, status);
  return delayMs > 0 ? { kind: 'wait', delayMs } : undefined;
};

/**
 * The bucket as this step starts: estimated from the last status seen when time has passed since,
 * else asked of Shopify (1 point), and remembered.
 */
async function startingBudget(
  deps: ImportDeps,
  s: ShopSession,
  run: ImportRun,
  r: PagedResource,
): Promise<ThrottleStatus | undefined> {
  const now = deps.clock.now();
  const estimate = budgetNow(r.pageBudget, now);
  if (estimate) return estimate;
  const status = (await probeBudget(s))?.throttleStatus;
  if (status) {
    const pageBudget = { ...status, observedAt: now.toISOString() };
    await patchResource(deps.db, run.id, r.resource, { pageBudget }, now);
  }
  return status;
}

/**
 * Reads a resource page by page from its committed cursor, each page committed with the cursor after
 * it, so a crash resumes at the first uncommitted page. Never sleeps: before each page it checks
 * Shopify's last throttleStatus; a page asks for as many records as the bucket holds (up to the
 * plan's), and when it holds less than the smallest page worth asking for it returns the wait
 * (requested − available) ÷ restoreRate for the job to come back after. A step starts from
 * the last status seen plus the refill since (or, when the clock tells nothing, asks Shopify for 1
 * point), so coming back early waits on instead of drawing a THROTTLED answer. One anyway (another
 * app's calls, a storm) waits what Shopify said.
 */
export async function importPages(
  deps: ImportDeps,
  s: ShopSession,
  run: ImportRun,
  r: PagedResource,
): Promise<PagedOutcome> {
  const opts = deps.importOptions ?? {};
  const plan = planOf(deps, r);
  if (r.state !== 'running')
    await patchResource(deps.db, run.id, r.resource, { state: 'running' }, deps.clock.now());
  let cursor: PageCursor = { after: r.pageCursor, outerAfter: r.pageOuterCursor };
  let done = r.done;
  let scale = 1; // Shopify's requested cost ÷ the formula's, as last seen
  const cost = (first: number) => Math.ceil(pageCost(r.resource, first, plan.childFirst) * scale);
  try {
    let status = await startingBudget(deps, s, run, r);
    let extra = 0; // points a follow-up needs on top of the next page
    for (let budget = opts.maxBatchesPerStep ?? DEFAULTS.maxBatchesPerStep; budget > 0; budget -= 1) {
      const least = Math.min(status?.maximumAvailable ?? Infinity, cost(minFirst(plan)) + extra);
      const wait = paced(least, status);
      if (wait) return wait;
      const room = status ? status.currentlyAvailable - extra : Infinity;
      const first = Math.max(minFirst(plan), firstAffordable(r.resource, plan, room, scale));
      const page = await fetchPage(s, r.resource, { ...plan, first }, cursor);
      const before = done;
      done += await commitPage(deps, run, r, page);
      if (statsDue(opts.batchSize ?? DEFAULTS.batchSize, before, done))
        await refreshStats(deps.db, r.resource);
      await opts.afterBatch?.({ resource: r.resource, linesDone: r.linesDone, done });
      if (page.next === null) return { kind: 'done' };
      cursor = page.next;
      if (page.requested) scale = Math.max(1, page.requested / pageCost(r.resource, first, plan.childFirst));
      status = page.cost?.throttleStatus;
      // Stopped before a record with more children: its page and its follow-up must fit together.
      extra = page.need ?? 0;
    }
  } catch (err) {
    if (err instanceof ThrottledError) return { kind: 'wait', delayMs: err.retryAfterMs };
    throw err;
  }
  return { kind: 'wait', delayMs: 0 };
}
