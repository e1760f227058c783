/**
 * The Shopify emulator's programmatic entry, for its own tests. Outside
 * programs (the connector) run `bin/shopify-emulator.js` and talk HTTP.
 */
export { startEmulator, type RunningEmulator, type StartOptions } from './start.ts';
export { parseCli } from './main.ts';
export { createEmulator, type Emulator, type EmulatorOptions } from './control/emulator.ts';
export { createManualClock, createSystemClock, type EmulatorClock } from './control/clock.ts';
export { FAULT_PROFILES, type FaultSettings } from './faults/faults.ts';
export { RETRY_DELAYS_MS, MAX_RETRIES } from './webhooks/retry-schedule.ts';
export { DEFAULT_WEBHOOK_CONCURRENCY } from './webhooks/delivery-queue.ts';
export type { Delivery, DeliverySender } from './webhooks/delivery-types.ts';
export type { CallLogEntry } from './control/call-log.ts';
