import type { RunningEmulator } from '../test-support/emulator.ts';
import type { Api } from './client.ts';
import type { Ledger, Ref } from './ledger.ts';
import type { Random } from './random.ts';

/** What an op did: done, nothing to act on, or refused by the side it asked (with the status). */
export type Outcome = 'done' | 'skipped' | `refused ${number}`;

/** An order the run placed on Shopify, kept to cancel or fulfil it later. */
export interface PlacedOrder {
  id: number;
  locationId: number;
  lines: { variant: Ref; quantity: number }[];
  cancelled: boolean;
  fulfilled: boolean;
}

/** Everything an op needs: the run's PRNG and ledger, both sides' addresses, and fresh values. */
export interface OpWorld {
  rng: Random;
  ledger: Ledger;
  emu: RunningEmulator;
  shop: string;
  /** Retailos's /api, with the run's API token. */
  api: Api;
  /** Shopify's location ids. */
  locations: number[];
  placed: PlacedOrder[];
  /** A value no edit used before: `<prefix>-<seed>-<op>-<count>`. */
  value(prefix: string): string;
  /** A price drawn from the PRNG, as "12.34". */
  price(): string;
  /** A sale (only from a level that holds 10 or more) or a receipt. */
  stockDelta(available: number): number;
}

export function opWorld(
  base: Omit<OpWorld, 'value' | 'price' | 'stockDelta' | 'placed'>,
  seed: number,
): OpWorld {
  let made = 0;
  return {
    ...base,
    placed: [],
    value: (prefix) => `${prefix}-${seed}-${base.ledger.n}-${(made += 1)}`,
    price: () => (base.rng.between(100, 99_999) / 100).toFixed(2),
    stockDelta: (available) =>
      available >= 10 && base.rng.chance(0.5) ? -base.rng.between(1, 3) : base.rng.between(1, 5),
  };
}
