/**
 * Shopify retries a failed delivery 8 times over 4 hours with exponential
 * backoff. The emulator doubles the wait each time: 56.5 s, 1.9 min, …, 2.0 h
 * (sum = 4 h). A time scale > 1 compresses the schedule.
 */
export const MAX_RETRIES = 8;
export const RETRY_WINDOW_MS = 4 * 3600 * 1000;
export const DELIVERY_TIMEOUT_MS = 5000;

const BASE_MS = RETRY_WINDOW_MS / (2 ** MAX_RETRIES - 1);

/** Delays before retry 1..8, in ms, at time scale 1. */
export const RETRY_DELAYS_MS: readonly number[] = Array.from({ length: MAX_RETRIES }, (_, i) =>
  Math.round(BASE_MS * 2 ** i),
);

/** Wait before the retry that follows failure number `failures` (1-based); undefined when retries are exhausted. */
export function retryDelayMs(failures: number, timeScale: number): number | undefined {
  const delay = RETRY_DELAYS_MS[failures - 1];
  if (delay === undefined) return undefined;
  return Math.max(1, Math.round(delay / Math.max(timeScale, 1e-9)));
}
