// The edit loop: each op is drawn from the run's PRNG — an edit on Shopify or in Retailos, a change of
// the emulator's faults (5xx, 429 / THROTTLED, an outage, webhooks dropped, duplicated, reordered or
// delayed), a SIGKILL of one Retailos process (started again a few ops later), or a pause.
import { sleep } from './client.ts';
import type { OpWorld, Outcome } from './op-world.ts';
import { RETAILOS_OPS } from './ops-retailos.ts';
import { SHOPIFY_OPS } from './ops-shopify.ts';
import type { RetailosProcesses, Role } from './processes.ts';

const EDITS = { ...SHOPIFY_OPS, ...RETAILOS_OPS };
type Edit = keyof typeof EDITS;

const EDIT_WEIGHTS: Record<Edit, number> = {
  's.title': 5,
  'r.title': 5,
  's.price': 5,
  'r.price': 5,
  's.sku': 2,
  'r.sku': 2,
  's.stock': 7,
  'r.stock': 7,
  's.product-create': 1.5,
  'r.product-create': 1.5,
  's.product-delete': 0.7,
  'r.product-delete': 0.7,
  's.customer-note': 2,
  'r.customer-note': 2,
  's.customer-name': 1.5,
  'r.customer-name': 1.5,
  's.customer-tag': 1.5,
  'r.customer-tag': 1.5,
  's.customer-create': 1.5,
  'r.customer-create': 1.5,
  's.customer-delete': 0.7,
  'r.customer-delete': 0.7,
  's.order-place': 3,
  's.order-note': 2,
  'r.order-note': 2,
  's.order-tag': 1,
  'r.order-tag': 1,
  's.order-cancel': 1,
  's.order-fulfil': 0.7,
};
const WEIGHTS = { ...EDIT_WEIGHTS, fault: 3, kill: 1.5, pause: 1.5 };

/** Fault settings the run switches between (the emulator's own names; delays short enough to wait out). */
const FAULTS: Record<string, Record<string, unknown>> = {
  calm: {},
  'server-errors': { errorRate: 0.2 },
  throttled: { throttleRate: 0.3 },
  'throttled-429': { throttleRate: 0.3, throttleStatus: 429 },
  'lossy-webhooks': { webhookDropRate: 0.3 },
  'messy-webhooks': {
    webhookDuplicateRate: 0.3,
    webhookReorderRate: 0.5,
    webhookDelayRate: 0.3,
    webhookDelayMs: 2_000,
  },
  mixed: {
    errorRate: 0.05,
    throttleRate: 0.1,
    latencyMs: 20,
    webhookDropRate: 0.1,
    webhookDuplicateRate: 0.1,
    webhookReorderRate: 0.3,
    webhookDelayRate: 0.2,
    webhookDelayMs: 2_000,
  },
  outage: { outage: true },
};

/** CHAOS_TRACE=1 prints every op as it runs (to stderr). */
const trace = (line: string) => {
  if (process.env['CHAOS_TRACE']) process.stderr.write(`  op ${line}\n`);
};

export interface OpStats {
  /** Per op: how many times it was done, skipped (nothing to act on) or refused. */
  ops: Record<string, Record<string, number>>;
  kills: string[];
  faults: string[];
}

export async function setFaults(w: OpWorld, name: string): Promise<void> {
  await w.emu.control('POST', '/faults', { profile: 'none', ...FAULTS[name] });
}

/**
 * Runs `count` ops; Retailos processes killed in the last ops are left for the caller to start. `planned`
 * makes op n a kill or a fault change whatever the draw (the short run in `npm test` is sure to have both).
 */
export async function runOps(
  w: OpWorld,
  procs: RetailosProcesses,
  count: number,
  planned: ReadonlyMap<number, 'kill' | 'fault'> = new Map(),
): Promise<OpStats> {
  const stats: OpStats = { ops: {}, kills: [], faults: [] };
  const restartAt = new Map<Role, number>();
  let outageLeft = 0;
  for (let n = 1; n <= count; n += 1) {
    w.ledger.n = n;
    for (const [role, at] of restartAt)
      if (n >= at) {
        restartAt.delete(role);
        await procs.start(role);
      }
    if (outageLeft > 0 && (outageLeft -= 1) === 0) await setFaults(w, 'calm');
    const drawn = w.rng.weighted(WEIGHTS);
    const op = planned.get(n) ?? drawn;
    if (op === 'fault') {
      const name = w.rng.pick(Object.keys(FAULTS));
      if (name === 'outage') outageLeft = w.rng.between(1, 6);
      await setFaults(w, name);
      stats.faults.push(`${n}:${name}`);
      trace(`${n} faults: ${name}`);
    } else if (op === 'kill') {
      const up = procs.roles.filter((r) => procs.isUp(r));
      if (up.length === 0) continue;
      const role = w.rng.pick(up);
      await procs.kill(role);
      restartAt.set(role, n + w.rng.between(1, 8));
      stats.kills.push(`${n}:${role}`);
      trace(`${n} kill -9 ${role}`);
    } else if (op === 'pause') {
      await sleep(w.rng.between(100, 1_500));
    } else {
      if (op.startsWith('r.') && !procs.isUp(procs.web)) {
        restartAt.delete(procs.web); // Retailos's API is down: the merchant waits for it
        await procs.start(procs.web);
      }
      const outcome: Outcome = await EDITS[op](w);
      trace(`${n} ${op}: ${outcome} ${JSON.stringify(w.ledger.entries.filter((e) => e.n === n))}`);
      const tally = (stats.ops[op] ??= {});
      tally[outcome] = (tally[outcome] ?? 0) + 1;
    }
    if (procs.crashes.length > 0) throw new Error(`a Retailos process crashed:\n${procs.crashes.join('\n')}`);
  }
  return stats;
}
