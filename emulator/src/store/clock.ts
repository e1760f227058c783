import type { Clock } from './types.ts';

/** Epoch seconds of the clock's current time (Shopify keeps second precision). */
export function nowSeconds(clock: Clock): number {
  return Math.floor(clock.now().getTime() / 1000);
}

/** `2026-05-02T09:15:04Z` for epoch seconds. */
export function isoSeconds(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return `${iso.slice(0, 19)}Z`;
}

/** A clock fixed at `start` that tests move with `advance` / `set`. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(date: Date): void;
}

export function manualClock(start: Date): ManualClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (date) => {
      current = date.getTime();
    },
  };
}

/** The real clock, for the running server only. */
export const systemClock: Clock = { now: () => new Date() };
