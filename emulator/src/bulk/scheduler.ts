/**
 * When the bulk runner may do its next chunk. The server yields to the event loop between
 * chunks (`immediateScheduler`); tests step chunk by chunk (`createStepScheduler`).
 */
export interface Scheduler {
  next(): Promise<void>;
}

export const immediateScheduler: Scheduler = {
  next: () => new Promise((resolve) => setImmediate(resolve)),
};

export interface StepScheduler extends Scheduler {
  /** True while a runner waits for `step`. */
  readonly waiting: boolean;
  /**
   * Lets the waiting runner do one chunk; resolves when it waits again. Race it with the
   * registry's `whenIdle()` for the last chunk, after which nobody waits again.
   */
  step(): Promise<void>;
}

export function createStepScheduler(): StepScheduler {
  let release: (() => void) | null = null;
  let arrived: (() => void) | null = null;
  return {
    next() {
      return new Promise<void>((resolve) => {
        release = resolve;
        arrived?.();
        arrived = null;
      });
    },
    get waiting() {
      return release !== null;
    },
    step() {
      const go = release;
      if (!go) throw new Error('no bulk runner is waiting for a step');
      release = null;
      const again = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      go();
      return again;
    },
  };
}
