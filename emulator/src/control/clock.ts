/**
 * The emulator's controllable clock. Everything time-dependent (token expiry,
 * webhook retry schedule, the store's updatedAt) reads it, so tests
 * `advance(ms)` instead of sleeping. Compatible with the store's `Clock`
 * (`now(): Date`).
 */
export interface EmulatorClock {
  now(): Date;
  /** Current time in epoch milliseconds. */
  nowMs(): number;
  /** Move time forward by `ms` (never backwards). */
  advance(ms: number): void;
}

/** A clock that follows real time plus an offset that `advance` grows. */
export function createSystemClock(realNow: () => number = Date.now): EmulatorClock {
  let offset = 0;
  const nowMs = (): number => realNow() + offset;
  return {
    now: () => new Date(nowMs()),
    nowMs,
    advance(ms) {
      assertForward(ms);
      offset += ms;
    },
  };
}

/** A clock that stands still until advanced: for tests. */
export function createManualClock(startMs = Date.UTC(2026, 4, 1, 12, 0, 0)): EmulatorClock {
  let current = startMs;
  return {
    now: () => new Date(current),
    nowMs: () => current,
    advance(ms) {
      assertForward(ms);
      current += ms;
    },
  };
}

function assertForward(ms: number): void {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`cannot advance the clock by ${ms} ms`);
}
