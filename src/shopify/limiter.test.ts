import { describe, expect, it } from 'vitest';
import { PermanentError, ThrottledError, TransientError } from '../errors.ts';
import type { GraphqlResult } from './graphql-client.ts';
import { limitedCall, type ShopLimiter } from './limiter.ts';

/** A limiter that records what limitedCall asks of it. */
function recordingLimiter(budgetWaitMs = 0) {
  const log: string[] = [];
  const limiter: ShopLimiter = {
    acquire: (tenantId, cost, priority) => {
      log.push(`acquire ${tenantId} ${cost} ${priority}`);
      return Promise.resolve();
    },
    tryAcquire: (tenantId, cost, priority) => {
      log.push(`tryAcquire ${tenantId} ${cost} ${priority}`);
      return Promise.resolve(budgetWaitMs);
    },
    observe: (tenantId, cost, requested, throttled) => {
      log.push(`observe ${tenantId} ${cost ? cost.actualQueryCost : 'none'} ${requested} ${throttled}`);
      return Promise.resolve();
    },
    status: () => Promise.resolve(undefined),
    pause: (ms) => {
      log.push(`pause ${ms}`);
      return Promise.resolve();
    },
  };
  return { limiter, log };
}

const result: GraphqlResult<string> = {
  data: 'ok',
  cost: {
    requestedQueryCost: 30,
    actualQueryCost: 4,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1996, restoreRate: 100 },
  },
};

/** A call that fails with the given errors in turn, then succeeds. */
function callFailing(...errors: Error[]) {
  let n = 0;
  return () => {
    const err = errors[n++];
    return err ? Promise.reject(err) : Promise.resolve(result);
  };
}

describe('limitedCall', () => {
  it('acquires, calls, and observes the cost the response carried', async () => {
    const { limiter, log } = recordingLimiter();
    expect(await limitedCall(limiter, 't1', 30, 'live', callFailing())).toBe(result);
    expect(log).toEqual(['acquire t1 30 live', 'observe t1 4 30 false']);
  });

  it('counts a throttle, waits its retryAfterMs, and acquires again before retrying', async () => {
    const { limiter, log } = recordingLimiter();
    await limitedCall(limiter, 't1', 30, 'background', callFailing(new ThrottledError('slow', 750)));
    expect(log).toEqual([
      'acquire t1 30 background',
      'observe t1 none 30 true',
      'pause 750',
      'acquire t1 30 background',
      'observe t1 4 30 false',
    ]);
  });

  it('retries a throttle five times by default, then rethrows it', async () => {
    const { limiter, log } = recordingLimiter();
    const throttles = Array.from({ length: 6 }, (_, i) => new ThrottledError(`slow ${i}`, 1000));
    await expect(limitedCall(limiter, 't1', 30, 'live', callFailing(...throttles))).rejects.toBe(
      throttles[5],
    );
    expect(log.filter((l) => l.startsWith('pause'))).toHaveLength(5);
    expect(log.filter((l) => l.startsWith('observe'))).toHaveLength(6);
  });

  it('noWait: a throttled answer is counted and rethrown at once, never waited out and sent again', async () => {
    const { limiter, log } = recordingLimiter();
    const throttle = new ThrottledError('slow', 750);
    await expect(
      limitedCall(limiter, 't1', 30, 'live', callFailing(throttle), { noWait: true }),
    ).rejects.toBe(throttle);
    expect(log).toEqual(['tryAcquire t1 30 live', 'observe t1 none 30 true']);
  });

  it('noWait: a budget lacking the points throws a ThrottledError with the wait and sends nothing', async () => {
    const { limiter, log } = recordingLimiter(1_200);
    let sent = 0;
    const call = () => {
      sent += 1;
      return Promise.resolve(result);
    };
    const err = await limitedCall(limiter, 't1', 30, 'live', call, { noWait: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect((err as ThrottledError).retryAfterMs).toBe(1_200);
    expect([sent, log]).toEqual([0, ['tryAcquire t1 30 live']]);
  });

  it('counts any other failure and rethrows it without retrying', async () => {
    for (const err of [new TransientError('reset'), new PermanentError('bad', 'graphql')]) {
      const { limiter, log } = recordingLimiter();
      await expect(limitedCall(limiter, 't1', 30, 'live', callFailing(err))).rejects.toBe(err);
      expect(log).toEqual(['acquire t1 30 live', 'observe t1 none 30 false']);
    }
  });
});
