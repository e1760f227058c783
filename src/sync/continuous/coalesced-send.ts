import type { Enqueue } from '../../deps.ts';

/**
 * Wakes a per-tenant job (a `stately` queue, singleton per key) for callers that have just committed
 * work for it, with at most one send per key in flight. What a caller needs is a send that *starts
 * after* its commit: that send either queues a job, which will read the caller's rows when it runs,
 * or finds one still queued, which has not read yet. A send already in flight may have started before
 * the caller's commit, so the caller waits for the next one, which every caller arriving meanwhile
 * shares. Under a burst (200 webhooks a second) this is a few sends a second instead of one per
 * delivery: each send is a pg-boss insert on pg-boss's own small pool, which the webhook route and the
 * job fetches otherwise queue on (issue 15: waits of hundreds of ms on that pool during the bench's
 * direct phase). A failed send rejects every caller that waited for it.
 */
export function coalescedSend(
  enqueue: Enqueue,
): (job: string, data: object, singletonKey: string) => Promise<void> {
  const flights = new Map<string, { current: Promise<void>; next?: Promise<void> }>();
  return (job, data, singletonKey) => {
    const id = JSON.stringify([job, singletonKey]);
    const send = (): Promise<void> => {
      const current = enqueue(job, data, { singletonKey });
      const flight: { current: Promise<void>; next?: Promise<void> } = { current };
      flights.set(id, flight);
      const landed = () => {
        if (flights.get(id) === flight && !flight.next) flights.delete(id);
      };
      current.then(landed, landed);
      return current;
    };
    const flight = flights.get(id);
    if (!flight) return send();
    const settled = () => undefined;
    flight.next ??= flight.current.then(settled, settled).then(send);
    return flight.next;
  };
}
