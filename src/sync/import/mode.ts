import { patchResource, type ImportMode, type ImportRun } from '../../db/shopify-imports.ts';
import { PermanentError } from '../../errors.ts';
import type { ThrottleStatus } from '../../shopify/graphql-client.ts';
import { BULK_RESOURCES, type BulkResource } from './bulk-queries.ts';
import { DEFAULTS, type ImportDeps } from './options.ts';
import { countStore, type CountedStore } from './page-fetch.ts';
import {
  childFirstFor,
  DEFAULT_LINES_PER_ORDER,
  DEFAULT_VARIANTS_PER_PRODUCT,
  pagedImportPoints,
  pagedLowerBoundSeconds,
  pagePlan,
  type StoreCounts,
} from './page-size.ts';
import type { ShopSession } from './shopify-calls.ts';

export type ModeSetting = 'auto' | 'bulk' | 'paged';

export interface ModeChoice {
  mode: ImportMode;
  why: string;
}

/**
 * How to read the store (pure). `auto` reads page by page when the whole paged import would wait at
 * most `maxSeconds` for the cost budget beyond what the bucket holds now (a small store: no bulk
 * operation to start, poll and download), and through bulk operations otherwise, or when the store
 * could not be sized exactly.
 */
export function chooseMode(
  setting: ModeSetting,
  counts: StoreCounts | undefined,
  budget: ThrottleStatus | undefined,
  maxSeconds: number,
): ModeChoice {
  if (setting !== 'auto') return { mode: setting, why: `SHOPIFY_IMPORT_MODE=${setting}` };
  if (!counts) return { mode: 'bulk', why: 'the store could not be counted exactly' };
  if (!budget) return { mode: 'bulk', why: 'Shopify reported no cost budget' };
  const points = pagedImportPoints(counts);
  const seconds = pagedLowerBoundSeconds(points, budget);
  const size = `about ${points} points, ${Math.ceil(seconds)} s beyond the bucket`;
  return seconds <= maxSeconds
    ? { mode: 'paged', why: `a small store (${size})` }
    : { mode: 'bulk', why: `a large store (${size})` };
}

async function survey(deps: ImportDeps, s: ShopSession, tenantId: string): Promise<CountedStore | undefined> {
  try {
    return await countStore(s);
  } catch (err) {
    if (!(err instanceof PermanentError) || err.errorClass === 'unauthorized') throw err;
    deps.logger.warn({ tenantId, err }, 'shopify import: the store could not be counted');
    return undefined;
  }
}

const setting = (deps: ImportDeps): ModeSetting => deps.config.shopifyImportMode ?? 'auto';

/**
 * Chooses each resource's mode once, right after the locations, and stores it with the page sizes
 * (kept for a fallback from bulk) and, when the store was counted, each resource's total.
 */
export async function decideModes(deps: ImportDeps, s: ShopSession, run: ImportRun): Promise<void> {
  const opts = deps.importOptions ?? {};
  const locations = run.resources.find((r) => r.resource === 'locations')?.total ?? 0;
  const counted = setting(deps) === 'bulk' ? undefined : await survey(deps, s, run.tenantId);
  const counts = counted?.exact ? { ...counted.counts, locations } : undefined;
  const choice = chooseMode(
    setting(deps),
    counts,
    counted?.cost?.throttleStatus,
    opts.pagedAutoMaxSeconds ?? DEFAULTS.pagedAutoMaxSeconds,
  );
  const now = deps.clock.now();
  const perProduct = counts && counts.products > 0 ? counts.variants / counts.products : null;
  const child = {
    products: childFirstFor(perProduct, DEFAULT_VARIANTS_PER_PRODUCT),
    orders: DEFAULT_LINES_PER_ORDER,
  };
  const totals: Record<BulkResource, number> | undefined = counts && {
    products: counts.products,
    customers: counts.customers,
    orders: counts.orders,
    inventory: counts.variants * counts.locations,
  };
  for (const resource of BULK_RESOURCES) {
    const row = run.resources.find((r) => r.resource === resource);
    // An import begun before modes existed keeps the bulk operation it started.
    const started =
      row !== undefined && (row.bulkOperationId !== null || row.url !== null || row.linesDone > 0);
    const plan = pagePlan(resource, resource === 'orders' ? child.orders : child.products, opts.maxPageCost);
    await patchResource(
      deps.db,
      run.id,
      resource,
      {
        mode: started ? 'bulk' : choice.mode,
        pageFirst: plan.first,
        pageChildFirst: plan.childFirst,
        ...(totals ? { total: totals[resource] } : {}),
      },
      now,
    );
  }
  await patchResource(deps.db, run.id, 'locations', { mode: 'paged' }, now);
  deps.logger.info(
    { tenantId: run.tenantId, importId: run.id, mode: choice.mode, counts },
    `shopify import reads ${choice.mode === 'paged' ? 'page by page' : 'through bulk operations'}: ${choice.why}`,
  );
}

/**
 * Shopify refused a bulk operation (a userError, or ACCESS_DENIED): under `auto` the resource is read
 * page by page instead (returns true); otherwise the refusal stands.
 */
export async function fallBackToPages(
  deps: ImportDeps,
  importId: string,
  resource: BulkResource,
  refusal: string,
): Promise<boolean> {
  if (setting(deps) !== 'auto') return false;
  const patch = {
    mode: 'paged',
    state: 'pending',
    bulkOperationId: null,
    url: null,
    reason: `Shopify refused the bulk operation (${refusal}); reading page by page`,
  } as const;
  await patchResource(deps.db, importId, resource, patch, deps.clock.now());
  deps.logger.warn({ importId, resource, refusal }, 'shopify import: bulk refused, reading page by page');
  return true;
}

/** A top-level ACCESS_DENIED on a bulk call (a userError refusal is reported by startBulk itself). */
export const isAccessDenied = (err: unknown): err is PermanentError =>
  err instanceof PermanentError && err.errorClass.split(',').includes('ACCESS_DENIED');
