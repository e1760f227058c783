// After the edits stop: wait until nothing moves any more (Shopify has no webhook left to deliver, and
// Retailos has nothing in its inbox, its outbox or its sync queues), then run one reconciliation and
// follow it to its end.
import type { RunningEmulator } from '../test-support/emulator.ts';
import { sleep, type Api } from './client.ts';

interface Health {
  inbox: { pending: number };
  outbox: { waiting: number };
  queues: Record<string, { queued: number; active: number }> | null;
  dead_letters: { open: number };
}

/** The queues that carry sync work (the rest are housekeeping crons). */
const SYNC_QUEUE =
  /^shopify\.(apply-webhooks|outbox-relay|push|lifecycle-webhooks|reconcile|webhooks-reregister)$/;

export interface Settled {
  ms: number;
  openDeadLetters: number;
}

/** Waits until three looks in a row, 300 ms apart, find nothing in flight anywhere. */
export async function settle(api: Api, emu: RunningEmulator, withinMs: number): Promise<Settled> {
  const t0 = Date.now();
  let quiet = 0;
  let last = '';
  for (;;) {
    const drained = await emu.control<{ pending: number }>('POST', '/webhooks/drain');
    const h = await api<Health>('GET', '/api/shopify/health');
    if (h.status !== 200) throw new Error(`GET /api/shopify/health → ${h.status}: ${JSON.stringify(h.body)}`);
    const busyQueues = Object.entries(h.body.queues ?? {}).filter(
      ([name, q]) => SYNC_QUEUE.test(name) && q.queued + q.active > 0,
    );
    const queued = busyQueues.reduce((n, [, q]) => n + q.queued + q.active, 0);
    const busy = drained.pending + h.body.inbox.pending + h.body.outbox.waiting + queued;
    last = `webhooks pending ${drained.pending}, inbox ${h.body.inbox.pending}, outbox ${h.body.outbox.waiting}, sync jobs ${queued} ${JSON.stringify(Object.fromEntries(busyQueues))}`;
    quiet = busy === 0 ? quiet + 1 : 0;
    if (quiet >= 3) return { ms: Date.now() - t0, openDeadLetters: h.body.dead_letters.open };
    if (Date.now() - t0 > withinMs)
      throw new Error(`the sync did not settle within ${withinMs / 1000} s: ${last}`);
    await sleep(300);
  }
}

interface RunJson {
  id: string;
  state: 'running' | 'completed' | 'failed';
  reason: string | null;
  report: {
    kinds: Record<
      string,
      { compared: number; equal: number; repaired: Record<string, number>; failed: number }
    >;
  } | null;
}

export interface Reconciled {
  runId: string;
  ms: number;
  /** Repairs per kind (summed over causes). */
  repaired: Record<string, number>;
  failed: number;
}

/** POST /api/shopify/reconcile, then GET its run until it ends; a failed run fails the chaos run. */
export async function reconcileOnce(api: Api, withinMs: number): Promise<Reconciled> {
  const t0 = Date.now();
  let started = await api<RunJson & { error?: { code: string } }>('POST', '/api/shopify/reconcile', {});
  while (started.status === 409) {
    // The daily run happens to be running: let it end, then ask for ours.
    if (Date.now() - t0 > withinMs) throw new Error('a reconciliation was still running');
    await sleep(500);
    started = await api('POST', '/api/shopify/reconcile', {});
  }
  if (started.status !== 202)
    throw new Error(`POST /api/shopify/reconcile → ${started.status}: ${JSON.stringify(started.body)}`);
  for (;;) {
    const r = await api<RunJson>('GET', `/api/shopify/reconcile/runs/${started.body.id}`);
    if (r.status !== 200) throw new Error(`GET reconcile run → ${r.status}`);
    if (r.body.state === 'failed') throw new Error(`the reconciliation failed: ${r.body.reason ?? '?'}`);
    if (r.body.state === 'completed') {
      const kinds = r.body.report?.kinds ?? {};
      const repaired = Object.fromEntries(
        Object.entries(kinds).map(([k, c]) => [k, Object.values(c.repaired).reduce((a, b) => a + b, 0)]),
      );
      const failed = Object.values(kinds).reduce((n, c) => n + c.failed, 0);
      return { runId: started.body.id, ms: Date.now() - t0, repaired, failed };
    }
    if (Date.now() - t0 > withinMs)
      throw new Error(`the reconciliation did not end within ${withinMs / 1000} s`);
    await sleep(250);
  }
}
