import type { EmulatorClock } from '../control/clock.ts';
import type { Faults } from '../faults/faults.ts';
import type { Delivery, DeliverySender } from './delivery-types.ts';
import { DELIVERY_TIMEOUT_MS, retryDelayMs } from './retry-schedule.ts';

export interface QueueDeps {
  clock: EmulatorClock;
  faults: Faults;
  sender: DeliverySender;
  timeScale(): number;
  /** Called when a delivery exhausted its retries; removes the subscription. Returns whether one was removed. */
  onExhausted(d: Delivery): boolean;
  realNow(): number;
  /** How many deliveries may be in flight at once (an integer ≥ 1; 1 sends them one after another). */
  concurrency(): number;
}

const MAX_KEPT = 20_000;

/** Deliveries in flight at once unless configured (Shopify itself sends concurrently, in no order). */
export const DEFAULT_WEBHOOK_CONCURRENCY = 8;

/** True for a usable concurrency: an integer ≥ 1. */
export function isValidConcurrency(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

/**
 * All deliveries with their outcomes; `drain` sends every due one, up to
 * `concurrency()` at a time.
 */
export class DeliveryQueue {
  readonly all: Delivery[] = [];
  private running: Promise<number> | null = null;

  constructor(private readonly deps: QueueDeps) {}

  add(d: Delivery): void {
    this.all.push(d);
    if (this.all.length > MAX_KEPT) {
      const idx = this.all.findIndex((x) => x.state !== 'pending');
      if (idx >= 0) this.all.splice(idx, 1);
    }
  }

  clear(): void {
    this.all.length = 0;
  }

  /** Earliest clock ms at which a pending delivery is due, or null. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const d of this.all)
      if (d.state === 'pending' && d.nextAttemptAt !== null && (next === null || d.nextAttemptAt < next))
        next = d.nextAttemptAt;
    return next;
  }

  /**
   * Sends every due delivery (one pass per due time) and resolves with how many attempts were made,
   * once every attempt of the pass has finished. Passes never overlap, so a delivery is never in
   * flight twice.
   */
  async drain(): Promise<number> {
    while (this.running) await this.running;
    this.running = this.sendDue();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async sendDue(): Promise<number> {
    const now = this.deps.clock.nowMs();
    const due = this.all
      .filter((d) => d.state === 'pending' && d.nextAttemptAt !== null && d.nextAttemptAt <= now)
      .sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || a.seq - b.seq);
    await this.attemptAll(this.reorder(due), this.deps.concurrency());
    return due.length;
  }

  /**
   * Starts the attempts in `list` order with at most `limit` in flight (a slot is refilled as soon as
   * an attempt finishes, so with 1 it is strictly one after another). Settles only when every started
   * attempt has; an attempt that throws stops new ones from starting and is rethrown.
   */
  private async attemptAll(list: Delivery[], limit: number): Promise<void> {
    let next = 0;
    const thrown: unknown[] = [];
    const worker = async (): Promise<void> => {
      while (thrown.length === 0 && next < list.length) {
        const d = list[next++] as Delivery;
        try {
          await this.attempt(d);
        } catch (err) {
          thrown.push(err);
        }
      }
    };
    const workers = Math.min(list.length, isValidConcurrency(limit) ? limit : 1);
    await Promise.all(Array.from({ length: workers }, worker));
    if (thrown.length > 0) throw thrown[0];
  }

  /** The reorder fault swaps a due delivery with a later one. */
  private reorder(due: Delivery[]): Delivery[] {
    const rate = this.deps.faults.settings.webhookReorderRate;
    if (rate <= 0 || due.length < 2) return due;
    const out = [...due];
    for (let i = 0; i < out.length - 1; i++) {
      if (!this.deps.faults.roll(rate)) continue;
      const j = i + 1 + Math.floor(this.deps.faults.random.next() * (out.length - i - 1));
      [out[i], out[j]] = [out[j] as Delivery, out[i] as Delivery];
    }
    return out;
  }

  private async attempt(d: Delivery): Promise<void> {
    const started = this.deps.realNow();
    const at = this.deps.clock.now().toISOString();
    if (!/^https?:\/\//i.test(d.uri)) {
      d.attempts.push({
        at,
        status: null,
        error: 'not sent: the emulator only delivers to HTTP(S) endpoints',
        durationMs: 0,
      });
      d.state = 'delivered';
      d.nextAttemptAt = null;
      return;
    }
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await this.deps.sender(d.uri, d.headers, d.body, DELIVERY_TIMEOUT_MS);
    } catch (err) {
      error = describeError(err);
    }
    d.attempts.push({ at, status, error, durationMs: this.deps.realNow() - started });
    if (status !== null && status >= 200 && status < 300) {
      d.state = 'delivered';
      d.nextAttemptAt = null;
      return;
    }
    const delay = retryDelayMs(d.attempts.length, this.deps.timeScale());
    if (delay === undefined) {
      d.state = 'failed';
      d.nextAttemptAt = null;
      d.subscriptionRemoved = this.deps.onExhausted(d);
      return;
    }
    d.nextAttemptAt = this.deps.clock.nowMs() + delay;
  }
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    return err.name === 'TimeoutError'
      ? `timed out after ${DELIVERY_TIMEOUT_MS} ms`
      : `${err.message}${detail}`;
  }
  return String(err);
}
