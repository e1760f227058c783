import type { EmulatorClock } from '../control/clock.ts';
import { uuidFrom, type Random } from '../control/random.ts';
import type { Faults } from '../faults/faults.ts';
import {
  deleteWebhookSubscription,
  findShop,
  subscribe,
  subscriptionsForTopic,
  type ChangeEvent,
  type ShopData,
  type Store,
} from '../store/index.ts';
import { buildDelivery, targetOf, type DeliveryTarget } from './build-delivery.ts';
import { DeliveryQueue } from './delivery-queue.ts';
import type { Delivery, DeliverySender } from './delivery-types.ts';
import { topicEnum, topicsForChange, type TopicEvent } from './topics.ts';

export interface WebhookServiceDeps {
  store: Store;
  clock: EmulatorClock;
  faults: Faults;
  /** Webhook / event ids (seeded for reproducibility). */
  ids: Random;
  appSecret(appKey: string): string | undefined;
  sender: DeliverySender;
  timeScale(): number;
  /** Deliveries in flight at once (integer ≥ 1; 1 = one after another). */
  concurrency(): number;
  realNow(): number;
  onError(err: unknown): void;
}

interface PendingEvent {
  shop: string;
  topic: string;
  key: string;
  payload: Record<string, unknown>;
  at: number;
}

/**
 * Turns store changes into webhook deliveries and sends them. Tests call
 * `drain()` after advancing the clock; the server calls `start()` so a timer
 * drains whenever something is due.
 */
export class WebhookService {
  readonly queue: DeliveryQueue;
  private pending: PendingEvent[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private auto = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: WebhookServiceDeps) {
    this.queue = new DeliveryQueue({ ...deps, onExhausted: (d) => this.removeFailing(d) });
    this.unsubscribe = subscribe(deps.store, (e) => this.onChange(e));
  }

  get deliveries(): readonly Delivery[] {
    return this.queue.all;
  }

  /** Builds deliveries for pending changes, then sends everything due. */
  async drain(): Promise<number> {
    this.flush();
    const sent = await this.queue.drain();
    this.schedule();
    return sent;
  }

  /** Sends `payload` for `topic` to the shop's subscriptions (optionally one app's, or explicit targets). */
  publish(
    shopDomain: string,
    topic: string,
    payload: Record<string, unknown>,
    opts: { appKey?: string; targets?: DeliveryTarget[]; delayMs?: number } = {},
  ): Delivery[] {
    const shop = findShop(this.deps.store, shopDomain);
    if (!shop) throw new Error(`unknown shop ${shopDomain}`);
    const targets =
      opts.targets ??
      subscriptionsForTopic(shop, topicEnum(topic))
        .filter((s) => !opts.appKey || s.appKey === opts.appKey)
        .map(targetOf);
    const at = this.deps.clock.nowMs() + (opts.delayMs ?? 0);
    const made = this.enqueue(shop, topic, payload, targets, at);
    this.schedule();
    return made;
  }

  start(): void {
    this.auto = true;
    this.schedule();
  }

  stop(): void {
    this.auto = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe();
  }

  /** The clock moved or settings changed: re-plan the timer. */
  kick(): void {
    this.schedule();
  }

  clear(): void {
    this.pending = [];
    this.queue.clear();
  }

  private onChange(e: ChangeEvent): void {
    const shop = this.deps.store.shops.get(e.shop);
    if (!shop) return;
    for (const event of topicsForChange(shop, e)) this.capture(shop, event);
    if (this.auto) queueMicrotask(() => this.schedule());
  }

  /** Snapshots the payload now (only when someone listens), so later changes cannot alter it. */
  private capture(shop: ShopData, event: TopicEvent): void {
    if (subscriptionsForTopic(shop, topicEnum(event.topic)).length === 0) return;
    const payload = event.payload();
    if (payload)
      this.pending.push({
        shop: shop.domain,
        topic: event.topic,
        key: event.key,
        payload,
        at: this.deps.clock.nowMs(),
      });
  }

  /**
   * Debounces the changes since the last drain like Shopify: one delivery per
   * resource + topic carrying the latest state; an update right after a
   * create is folded into the create.
   */
  private flush(): void {
    const batch = new Map<string, PendingEvent>();
    for (const p of this.pending) {
      const createKey = `${p.shop}|${p.key.replace('products/update', 'products/create')}`;
      const target = p.topic === 'products/update' && batch.has(createKey) ? createKey : `${p.shop}|${p.key}`;
      const first = batch.get(target);
      batch.set(target, first ? { ...first, payload: p.payload } : p);
    }
    this.pending = [];
    for (const p of batch.values()) {
      const shop = this.deps.store.shops.get(p.shop);
      const subs = shop ? subscriptionsForTopic(shop, topicEnum(p.topic)) : [];
      if (shop && subs.length > 0) this.enqueue(shop, p.topic, p.payload, subs.map(targetOf), p.at);
    }
  }

  private enqueue(
    shop: ShopData,
    topic: string,
    payload: Record<string, unknown>,
    targets: DeliveryTarget[],
    at: number,
  ): Delivery[] {
    const eventId = uuidFrom(this.deps.ids);
    const triggeredAt = new Date(at).toISOString();
    const made: Delivery[] = [];
    for (const target of targets) {
      const secret = this.deps.appSecret(target.appKey);
      if (secret === undefined) {
        this.deps.onError(new Error(`no secret for app ${target.appKey}; webhook ${topic} not sent`));
        continue;
      }
      const d = buildDelivery({
        seq: ++this.seq,
        webhookId: uuidFrom(this.deps.ids),
        eventId,
        shop,
        topic,
        target,
        payload,
        triggeredAt,
        secret,
        dueAt: this.dueAt(at),
      });
      made.push(...this.applyFaults(d));
    }
    return made;
  }

  private dueAt(at: number): number {
    const f = this.deps.faults;
    const delay = f.roll(f.settings.webhookDelayRate) ? f.settings.webhookDelayMs : 0;
    return Math.max(at, this.deps.clock.nowMs()) + delay;
  }

  private applyFaults(d: Delivery): Delivery[] {
    const f = this.deps.faults;
    if (f.roll(f.settings.webhookDropRate)) {
      d.state = 'dropped';
      d.nextAttemptAt = null;
      this.queue.add(d);
      return [d];
    }
    this.queue.add(d);
    if (!f.roll(f.settings.webhookDuplicateRate)) return [d];
    const dup: Delivery = {
      ...d,
      seq: ++this.seq,
      attempts: [],
      duplicateOf: d.seq,
      nextAttemptAt: this.dueAt(d.nextAttemptAt ?? this.deps.clock.nowMs()),
    };
    this.queue.add(dup);
    return [d, dup];
  }

  private removeFailing(d: Delivery): boolean {
    const shop = findShop(this.deps.store, d.shop);
    if (!shop || d.subscriptionId === null || !shop.webhookSubscriptions.has(d.subscriptionId)) return false;
    deleteWebhookSubscription(this.deps.store, shop, d.subscriptionId);
    return true;
  }

  private schedule(): void {
    if (!this.auto) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const due = this.pending.length > 0 ? this.deps.clock.nowMs() : this.queue.nextDueAt();
    if (due === null) return;
    const wait = Math.min(Math.max(0, due - this.deps.clock.nowMs()), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain().catch((err: unknown) => this.deps.onError(err));
    }, wait);
    this.timer.unref();
  }
}
