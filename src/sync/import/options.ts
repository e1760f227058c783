import type { CoreDeps } from '../../deps.ts';
import type { ImportResource } from '../../db/shopify-imports.ts';

export interface ImportOptions {
  /** Records per committed batch (default 500). */
  batchSize?: number;
  /** Batches (bulk) or pages (paged) one job step commits before it hands over to a fresh job (default 40). */
  maxBatchesPerStep?: number;
  /** How long to wait before polling running bulk operations again (default 3000 ms). */
  pollDelayMs?: number;
  /** Called after each batch commits (tests use it to stop mid-file). */
  afterBatch?: (info: {
    resource: ImportResource;
    /** The range whose file it was (ranged exports), else absent. */
    range?: number;
    linesDone: number;
    done: number;
  }) => void | Promise<void>;
  /**
   * auto mode: read page by page when the whole paged import would wait at most this long for the
   * cost budget beyond what the bucket holds now (default 30 s); bulk operations otherwise.
   */
  pagedAutoMaxSeconds?: number;
  /** Highest requested cost of one page in paged mode (default 1000, Shopify's cap; tests go lower). */
  maxPageCost?: number;
  /**
   * Result files written at the same time, each on its own connection (default: 2 on a Postgres server,
   * 1 on PGlite, which runs every statement on this process's one thread). Each resource still writes
   * one batch at a time, so a crash redoes at most one batch per resource.
   */
  ingestLanes?: number;
  /**
   * Ranged exports (ranged.ts): records in the last range of a large resource (default: batchSize), each
   * range before it 1 / rangeRatio as large (default 0.7), at most maxRanges (default 16) per resource.
   */
  rangeTail?: number;
  rangeRatio?: number;
  maxRanges?: number;
  /** Fetch for the result download (tests may wrap it). */
  fetch?: typeof fetch;
}

/** What the import needs besides the core deps (whose queue it re-enqueues itself on): tuning. */
export interface ImportExtras {
  importOptions?: ImportOptions | undefined;
}

export type ImportDeps = CoreDeps & ImportExtras;

export const DEFAULTS = {
  batchSize: 500,
  maxBatchesPerStep: 40,
  pollDelayMs: 3000,
  pagedAutoMaxSeconds: 30,
  maxPageCost: 1000,
  rangeRatio: 0.7,
  maxRanges: 16,
  /** Counts asked to find a resource's id distribution before it is ranged (one request). */
  rangeSamples: 16,
} as const;
