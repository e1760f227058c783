export interface DeliveryAttempt {
  /** ISO time of the attempt (emulator clock). */
  at: string;
  /** HTTP status, or null when the request failed (timeout, refused). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'dropped';

/** One webhook delivery to one subscription; retries reuse it (same id, time, body). */
export interface Delivery {
  seq: number;
  webhookId: string;
  eventId: string;
  shop: string;
  appKey: string;
  subscriptionId: number | null;
  topic: string;
  apiVersion: string;
  uri: string;
  triggeredAt: string;
  headers: Record<string, string>;
  body: string;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  /** Clock ms of the next attempt, null when finished. */
  nextAttemptAt: number | null;
  /** A fault made this a duplicate of another delivery (same webhook id). */
  duplicateOf: number | null;
  /** True when exhausting retries removed the subscription. */
  subscriptionRemoved: boolean;
}

/** Sends one delivery; resolves with the HTTP status or rejects (timeout, network). */
export type DeliverySender = (
  uri: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
) => Promise<number>;
