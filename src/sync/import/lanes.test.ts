import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runLanes } from './lanes.ts';

// The lane loop over every interleaving of its reads of the ready files and its lanes' ends, each a
// task of fast-check's scheduler: a lane completes its file, stops with it incomplete (its batch
// budget ran out) or fails.

type Outcome = 'complete' | 'incomplete' | 'fail';

const RESOURCES = ['locations', 'products', 'customers', 'orders', 'inventory'] as const;

interface Event {
  kind: 'start' | 'end';
  resource: string;
  outcome?: Outcome;
}

describe('runLanes', () => {
  it('never runs two lanes on a file or more than its lanes, starts nothing after a lane stopped, and passes on every failure', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 3 }),
        fc.subarray([...RESOURCES], { minLength: 1 }),
        // Each write of a resource ends as told, in the order it is written; past the list: complete.
        fc.dictionary(
          fc.constantFrom(...RESOURCES),
          fc.array(fc.constantFrom<Outcome>('complete', 'complete', 'incomplete', 'fail'), { maxLength: 3 }),
        ),
        async (s, lanes, ready, outcomes) => {
          const pending = new Set<string>(ready);
          const writes = new Map<string, number>();
          const events: Event[] = [];
          const running = new Set<string>();
          let stopped = false;
          let maxRunning = 0;
          const thrown: string[] = [];
          const violations: string[] = [];

          const run = runLanes<{ resource: string }>({
            lanes,
            // The files are read after an await, as the database is: a lane can end meanwhile.
            free: (_polled, writing) =>
              s
                .schedule(Promise.resolve(), 'free')
                .then(() => [...pending].filter((r) => !writing.has(r)).map((resource) => ({ resource }))),
            write: ({ resource }) => {
              if (running.has(resource)) violations.push(`two lanes on ${resource}`);
              if (stopped) violations.push(`${resource} started after a lane stopped`);
              running.add(resource);
              maxRunning = Math.max(maxRunning, running.size);
              events.push({ kind: 'start', resource });
              const n = writes.get(resource) ?? 0;
              writes.set(resource, n + 1);
              const outcome = outcomes[resource]?.[n] ?? 'complete';
              return s.schedule(Promise.resolve(outcome), `${resource} ${outcome}`).then((o) => {
                running.delete(resource);
                events.push({ kind: 'end', resource, outcome: o });
                if (o === 'complete') {
                  pending.delete(resource);
                  return true;
                }
                stopped = true;
                if (o === 'incomplete') return false;
                thrown.push(resource);
                throw new Error(`${resource} failed`);
              });
            },
          });
          const result = await s.waitFor(
            run.then(
              () => null,
              (e: unknown) => e,
            ),
          );

          expect(violations).toEqual([]);
          expect(maxRunning).toBeLessThanOrEqual(lanes);
          expect(running.size).toBe(0);
          // Every failure passed on: one as itself, several together.
          if (thrown.length === 0) expect(result).toBeNull();
          else if (thrown.length === 1) expect((result as Error).message).toBe(`${thrown[0]} failed`);
          else
            expect((result as AggregateError).errors.map((e) => (e as Error).message).sort()).toEqual(
              thrown.map((r) => `${r} failed`).sort(),
            );
          // A step that no lane stopped writes every file once; one that a lane stopped, each at most once.
          for (const r of ready) {
            const n = writes.get(r) ?? 0;
            if (!stopped) expect(n, r).toBe(1);
            else expect(n, r).toBeLessThanOrEqual(1);
          }
          if (!stopped) expect(pending.size).toBe(0);
          // Every lane started ended before the step did.
          const starts = events.filter((e) => e.kind === 'start').length;
          expect(events.filter((e) => e.kind === 'end').length).toBe(starts);
        },
      ),
      { numRuns: 400 },
    );
  });
});
