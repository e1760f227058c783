/** Samples process memory on a timer while something runs (the bulk runner yields between pages, so timers fire). */
export interface MemoryProfile {
  readonly baselineRss: number;
  readonly peakRss: number;
  readonly peakHeapUsed: number;
  /** RSS at 10 %, 50 % and 90 % of the run's samples: flat when the export keeps no per-object state. */
  readonly rssAt: readonly [number, number, number];
  /** Heap used after the run and a full GC, minus the same before it (needs `--expose-gc`; null without). */
  readonly retainedHeap: number | null;
  readonly samples: number;
}

const collect = (globalThis as { gc?: () => void }).gc;

export async function sampleMemory<T>(
  work: () => Promise<T>,
  everyMs = 20,
): Promise<{ result: T; memory: MemoryProfile }> {
  collect?.();
  const baseline = process.memoryUsage();
  const rss: number[] = [];
  let peakHeapUsed = baseline.heapUsed;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    rss.push(now.rss);
    peakHeapUsed = Math.max(peakHeapUsed, now.heapUsed);
  }, everyMs);
  try {
    const result = await work();
    clearInterval(timer);
    collect?.();
    const retainedHeap = collect ? process.memoryUsage().heapUsed - baseline.heapUsed : null;
    const at = (f: number): number =>
      rss[Math.min(rss.length - 1, Math.floor(f * rss.length))] ?? baseline.rss;
    const peakRss = Math.max(baseline.rss, ...rss);
    return {
      result,
      memory: {
        baselineRss: baseline.rss,
        peakRss,
        peakHeapUsed,
        rssAt: [at(0.1), at(0.5), at(0.9)],
        retainedHeap,
        samples: rss.length,
      },
    };
  } finally {
    clearInterval(timer);
  }
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
