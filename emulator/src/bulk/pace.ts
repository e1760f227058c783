/**
 * A bulk export's pace. Shopify exports a few hundred to a few thousand objects per second; the
 * emulator, unpaced, exports as fast as its CPU goes. With a pace of N objects per second, each
 * operation's `objectCount` grows at most N per second of the emulator's clock, and the operation
 * completes (and its file becomes downloadable) once every object has been "exported" at that pace.
 *
 * Waits are on the emulator's clock: a timer for when the clock should get there in real time, and
 * `wake()` when the clock jumps (`POST /_emulator/clock/advance`), the pace changes or a run is
 * cancelled. A woken wait resolves early; the runner checks the clock again and waits again if it must.
 */

/** Objects per second of one operation, or null for no pace. */
export type BulkPace = number | null;

export function isValidPace(pace: unknown): pace is BulkPace {
  return pace === null || (typeof pace === 'number' && Number.isFinite(pace) && pace > 0);
}

/** When, on the clock, an export that began at `startMs` has exported `objects` objects at `pace`. */
export function exportedAtMs(startMs: number, objects: number, pace: number): number {
  return startMs + (objects * 1000) / pace;
}

/** Schedules `fn` after `ms` real milliseconds; returns the cancel. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

export const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, Math.min(Math.max(0, ms), 2 ** 31 - 1));
  t.unref();
  return () => clearTimeout(t);
};

export interface ClockAlarms {
  /** Resolves when the clock should read ≥ `atMs`, or on the next `wake()`; the caller checks again. */
  wait(atMs: number): Promise<void>;
  /** Ends every open wait now. */
  wake(): void;
  /** Waits open now. */
  readonly waiting: number;
  /** Called each time a wait opens (the registry uses it to tell when every run is waiting). */
  onWait(listener: () => void): void;
}

export function createClockAlarms(clock: { nowMs(): number }, setTimer: SetTimer = realTimer): ClockAlarms {
  const open = new Set<() => void>();
  const listeners: (() => void)[] = [];
  return {
    wait(atMs) {
      return new Promise<void>((resolve) => {
        const done = (): void => {
          open.delete(done);
          cancel();
          resolve();
        };
        const cancel = setTimer(done, atMs - clock.nowMs());
        open.add(done);
        for (const l of listeners) l();
      });
    },
    wake() {
      for (const done of [...open]) done();
    },
    get waiting() {
      return open.size;
    },
    onWait(listener) {
      listeners.push(listener);
    },
  };
}
