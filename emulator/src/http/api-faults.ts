import type { Faults } from '../faults/faults.ts';

export interface FaultReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const SERVER_ERRORS: readonly [number, string][] = [
  [500, 'Internal Server Error'],
  [502, 'Bad Gateway'],
  [503, 'Service Unavailable'],
];

/** Outage or a random 5xx for an Admin API call, else null. */
export function injectedFailure(faults: Faults): FaultReply | null {
  if (faults.settings.outage)
    return { status: 503, body: { errors: 'Service Unavailable' }, headers: { 'retry-after': '5' } };
  if (!faults.roll(faults.settings.errorRate)) return null;
  const [status, text] = SERVER_ERRORS[Math.floor(faults.random.next() * SERVER_ERRORS.length)] ?? [
    500,
    'Internal Server Error',
  ];
  return { status, body: { errors: text }, headers: {} };
}

export function addedLatency(faults: Faults): Promise<void> {
  const ms = faults.settings.latencyMs;
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
