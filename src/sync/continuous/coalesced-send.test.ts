import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coalescedSend } from './coalesced-send.ts';

interface Send {
  key: string;
  startedAt: number;
  endedAt?: number;
  ok?: boolean;
  settle: (ok: boolean) => void;
}

type Step = { kind: 'call'; key: string } | { kind: 'land'; key: string; ok: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('call' as const), key: fc.constantFrom('a', 'b') }),
  fc.record({ kind: fc.constant('land' as const), key: fc.constantFrom('a', 'b'), ok: fc.boolean() }),
);

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('coalescedSend', () => {
  it('every caller is settled by a send that started after its call, with one send per key in flight', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        let now = 0;
        const sends: Send[] = [];
        const enqueue = (_job: string, data: object, options?: { singletonKey?: string }) =>
          new Promise<void>((resolve, reject) => {
            const key = options?.singletonKey as string;
            expect(data).toEqual({ tenantId: key });
            // One in flight per key: every earlier send of this key has ended.
            expect(sends.filter((s) => s.key === key && s.endedAt === undefined)).toEqual([]);
            const s: Send = {
              key,
              startedAt: (now += 1),
              settle: (ok) => {
                s.endedAt = now += 1;
                s.ok = ok;
                if (ok) resolve();
                else reject(new Error(`send ${key} failed`));
              },
            };
            sends.push(s);
          });
        const wake = coalescedSend(enqueue);
        const calls: { key: string; at: number; outcome?: { ok: boolean; at: number } }[] = [];
        const call = (key: string) => {
          const c: (typeof calls)[number] = { key, at: (now += 1) };
          calls.push(c);
          wake('job', { tenantId: key }, key).then(
            () => (c.outcome = { ok: true, at: now }),
            () => (c.outcome = { ok: false, at: now }),
          );
        };
        const land = (key: string, ok: boolean) =>
          sends.find((s) => s.key === key && s.endedAt === undefined)?.settle(ok);
        for (const s of steps) {
          if (s.kind === 'call') call(s.key);
          else land(s.key, s.ok);
          await flush();
        }
        // Then every send lands (successfully) until nothing is in flight.
        for (let open = sends.find((s) => s.endedAt === undefined); open;) {
          open.settle(true);
          await flush();
          open = sends.find((s) => s.endedAt === undefined);
        }
        for (const c of calls) {
          expect(c.outcome, `call of ${c.key} at ${c.at} settled`).toBeDefined();
          const { ok, at } = c.outcome as { ok: boolean; at: number };
          // The send that settled it started after the call and ended before it was settled.
          const by = sends.filter(
            (s) => s.key === c.key && s.startedAt > c.at && (s.endedAt as number) <= at && s.ok === ok,
          );
          expect(by.length, `call of ${c.key} at ${c.at}`).toBeGreaterThan(0);
        }
        // Coalesced: never more sends than calls, and a key's sends never overlap.
        expect(sends.length).toBeLessThanOrEqual(calls.length);
      }),
      { numRuns: 300 },
    );
  });

  it('a burst of callers while one send is in flight shares a single next send', async () => {
    const started: (() => void)[] = [];
    const wake = coalescedSend(() => new Promise<void>((resolve) => started.push(resolve)));
    const first = wake('job', { tenantId: 't' }, 't');
    const burst = Array.from({ length: 50 }, () => wake('job', { tenantId: 't' }, 't'));
    expect(started).toHaveLength(1);
    started[0]?.();
    await first;
    await flush();
    expect(started).toHaveLength(2);
    started[1]?.();
    await Promise.all(burst);
    expect(started).toHaveLength(2);
  });
});
