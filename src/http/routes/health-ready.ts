import type { FastifyInstance } from 'fastify';
import { ping, type Db } from '../../db/db.ts';

/** A dependency the process needs to serve traffic; resolves when healthy, rejects (with why) when not. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessOptions {
  db: Db;
  /** More checks by name, e.g. `{ queue: () => boss.checkReady() }`. */
  checks?: Readonly<Record<string, ReadinessCheck>>;
  /** A check that has not answered by then counts as failed. */
  timeoutMs?: number;
}

type Outcome = { name: string; ok: true } | { name: string; ok: false; error: string };

async function runCheck(name: string, check: ReadinessCheck, timeoutMs: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([check(), timeout]);
    return { name, ok: true };
  } catch (err) {
    return { name, ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** GET /readyz: 200 when every check passes; 503 naming the failed checks otherwise. */
export function registerReadyRoute(app: FastifyInstance, opts: ReadinessOptions): void {
  const checks: Record<string, ReadinessCheck> = {
    db: () => ping(opts.db),
    ...opts.checks,
  };
  const timeoutMs = opts.timeoutMs ?? 3000;
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    const outcomes = await Promise.all(Object.entries(checks).map(([n, c]) => runCheck(n, c, timeoutMs)));
    const failed = outcomes.filter((o) => !o.ok);
    // Only names and states go out; the reasons (which may name hosts) go to the log.
    const states = Object.fromEntries(outcomes.map((o) => [o.name, o.ok ? 'ok' : 'failed']));
    const body = { status: failed.length === 0 ? 'ready' : 'not_ready', checks: states };
    if (failed.length > 0) request.log.warn({ failed }, 'not ready');
    return reply.code(failed.length === 0 ? 200 : 503).send(body);
  });
}
