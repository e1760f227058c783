/** Samples process memory on a timer while something runs (the bulk runner yields between pages, so timers fire). */
export interface MemoryProfile {
  readonly baselineRss: number;
  readonly peakRss: number;
  readonly peakHeapUsed: number;
  readonly samples: number;
}

export async function sampleMemory<T>(
  work: () => Promise<T>,
  everyMs = 20,
): Promise<{ result: T; memory: MemoryProfile }> {
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeapUsed = baseline.heapUsed;
  let samples = 0;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeapUsed = Math.max(peakHeapUsed, now.heapUsed);
    samples++;
  }, everyMs);
  try {
    const result = await work();
    return { result, memory: { baselineRss: baseline.rss, peakRss, peakHeapUsed, samples } };
  } finally {
    clearInterval(timer);
  }
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
