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
  private readonly inFlight = new Map<Delivery, Promise<void>>();
  /** Attempts holding a slot, and attempts waiting for one (first come, first served). */
  private active = 0;
  private readonly waiting: (() => void)[] = [];

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
   * Starts every due delivery that is not already in flight (up to `concurrency()` attempts at once
   * across all drains, started in due order) and resolves with how many it started, once no attempt
   * is in flight any more. Drains may overlap — a delivery that comes due while others are being sent
   * goes out at once, as Shopify does, instead of waiting behind the slowest — but a delivery is
   * never in flight twice.
   */
  async drain(): Promise<number> {
    const now = this.deps.clock.nowMs();
    const due = this.all
      .filter(
        (d) =>
          d.state === 'pending' &&
          d.nextAttemptAt !== null &&
          d.nextAttemptAt <= now &&
          !this.inFlight.has(d),
      )
      .sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || a.seq - b.seq);
    const mine = this.reorder(due).map((d) => this.send(d));
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
    const failed = (await Promise.allSettled(mine)).find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return due.length;
  }

  /** One attempt, once a slot is free (slots are handed out in request order). */
  private send(d: Delivery): Promise<void> {
    const sending = (async () => {
      await this.acquire();
      try {
        await this.attempt(d);
      } finally {
        this.release();
        this.inFlight.delete(d);
      }
    })();
    this.inFlight.set(d, sending);
    return sending;
  }

  private async acquire(): Promise<void> {
    const limit = this.deps.concurrency();
    if (this.active < (isValidConcurrency(limit) ? limit : 1)) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiting attempt (the count stays), or frees it (also when the limit was lowered meanwhile). */
  private release(): void {
    const limit = this.deps.concurrency();
    if (this.active > (isValidConcurrency(limit) ? limit : 1)) {
      this.active -= 1;
      return;
    }
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
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
