import { createSeededRandom, type Random } from '../control/random.ts';

/** Faults on demand. Rates are probabilities in [0, 1], drawn from a seeded PRNG. */
export interface FaultSettings {
  /** Every Admin API call answers 503 (OAuth and the control API keep working). */
  outage: boolean;
  /** Share of Admin API calls answered with a 5xx. */
  errorRate: number;
  /** Share of GraphQL calls answered THROTTLED regardless of the bucket. */
  throttleRate: number;
  /** How THROTTLED is answered: HTTP 200 with the error body (Shopify's GraphQL way) or 429 + Retry-After. */
  throttleStatus: 200 | 429;
  /** Added to every Admin API response, ms. */
  latencyMs: number;
  webhookDropRate: number;
  webhookDuplicateRate: number;
  /** Share of due deliveries sent out of order within one drain. */
  webhookReorderRate: number;
  webhookDelayRate: number;
  webhookDelayMs: number;
}

export const NO_FAULTS: Readonly<FaultSettings> = Object.freeze({
  outage: false,
  errorRate: 0,
  throttleRate: 0,
  throttleStatus: 200,
  latencyMs: 0,
  webhookDropRate: 0,
  webhookDuplicateRate: 0,
  webhookReorderRate: 0,
  webhookDelayRate: 0,
  webhookDelayMs: 0,
});

/** Named profiles for `--faults` / `POST /_emulator/faults {"profile": …}`. */
export const FAULT_PROFILES: Readonly<Record<string, Partial<FaultSettings>>> = {
  none: {},
  outage: { outage: true },
  flaky: { errorRate: 0.1, latencyMs: 50 },
  'throttle-storm': { throttleRate: 0.5 },
  'throttle-storm-429': { throttleRate: 0.5, throttleStatus: 429 },
  'lossy-webhooks': { webhookDropRate: 0.2 },
  'messy-webhooks': {
    webhookDuplicateRate: 0.2,
    webhookReorderRate: 0.5,
    webhookDelayRate: 0.3,
    webhookDelayMs: 30_000,
  },
  chaos: {
    errorRate: 0.05,
    throttleRate: 0.1,
    latencyMs: 20,
    webhookDropRate: 0.05,
    webhookDuplicateRate: 0.1,
    webhookReorderRate: 0.3,
    webhookDelayRate: 0.2,
    webhookDelayMs: 10_000,
  },
};

export interface Faults {
  readonly settings: Readonly<FaultSettings>;
  seed: number;
  /** Merge settings (validated); returns the new settings. */
  set(patch: Partial<FaultSettings>): FaultSettings;
  applyProfile(name: string): FaultSettings;
  /** Back to no faults, PRNG reseeded. */
  reset(seed?: number): void;
  /** True with probability `rate`. */
  roll(rate: number): boolean;
  random: Random;
}

export class FaultSettingsError extends Error {
  override name = 'FaultSettingsError';
}

export function createFaults(seed: number): Faults {
  let settings: FaultSettings = { ...NO_FAULTS };
  let random = createSeededRandom(seed);
  const faults: Faults = {
    get settings() {
      return settings;
    },
    seed,
    set(patch) {
      settings = validate({ ...settings, ...patch });
      return settings;
    },
    applyProfile(name) {
      const profile = FAULT_PROFILES[name];
      if (!profile)
        throw new FaultSettingsError(
          `unknown fault profile "${name}"; known: ${Object.keys(FAULT_PROFILES).join(', ')}`,
        );
      settings = validate({ ...NO_FAULTS, ...profile });
      return settings;
    },
    reset(newSeed = faults.seed) {
      faults.seed = newSeed;
      settings = { ...NO_FAULTS };
      random = createSeededRandom(newSeed);
      faults.random = random;
    },
    roll: (rate) => rate > 0 && random.next() < rate,
    random,
  };
  return faults;
}

const RATES = [
  'errorRate',
  'throttleRate',
  'webhookDropRate',
  'webhookDuplicateRate',
  'webhookReorderRate',
  'webhookDelayRate',
] as const;

function validate(s: FaultSettings): FaultSettings {
  for (const key of RATES) {
    const v = s[key];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw new FaultSettingsError(`${key} must be a number between 0 and 1`);
  }
  for (const key of ['latencyMs', 'webhookDelayMs'] as const) {
    const v = s[key];
    if (typeof v !== 'number' || !(v >= 0 && v <= 600_000))
      throw new FaultSettingsError(`${key} must be between 0 and 600000`);
  }
  if (typeof s.outage !== 'boolean') throw new FaultSettingsError('outage must be a boolean');
  if (s.throttleStatus !== 200 && s.throttleStatus !== 429)
    throw new FaultSettingsError('throttleStatus must be 200 or 429');
  const known = new Set(Object.keys(NO_FAULTS));
  for (const key of Object.keys(s))
    if (!known.has(key)) throw new FaultSettingsError(`unknown fault setting "${key}"`);
  return s;
}
