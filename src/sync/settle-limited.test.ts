import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settleLimited } from './settle-limited.ts';

/** A call whose completion the test decides. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('settleLimited', () => {
  it('never has more than the limit in flight and returns every result in item order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer(), { maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        async (xs, limit) => {
          let inFlight = 0;
          let peak = 0;
          const out = await settleLimited(xs, limit, async (x) => {
            inFlight += 1;
            peak = Math.max(peak, inFlight);
            await Promise.resolve();
            inFlight -= 1;
            if (x % 3 === 0) throw new Error(`bad ${x}`);
            return x * 2;
          });
          expect(peak).toBeLessThanOrEqual(limit);
          expect(out).toEqual(
            xs.map((x) =>
              x % 3 === 0
                ? { status: 'rejected', reason: new Error(`bad ${x}`) }
                : { status: 'fulfilled', value: x * 2 },
            ),
          );
        },
      ),
    );
  });

  it('keeps the other calls running when one fails, and waits for them before returning', async () => {
    const slow = deferred();
    let slowDone = false;
    const running = settleLimited([1, 2], 2, async (x) => {
      if (x === 1) throw new Error('first fails at once');
      await slow.promise;
      slowDone = true;
      return x;
    });
    let returned = false;
    void running.then(() => (returned = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(returned).toBe(false);
    slow.resolve();
    const out = await running;
    expect(slowDone).toBe(true);
    expect(out[0]?.status).toBe('rejected');
    expect(out[1]).toEqual({ status: 'fulfilled', value: 2 });
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(settleLimited([1], 0, async (x) => x)).rejects.toThrow(RangeError);
  });
});
