import {
  isValidPace,
  type BulkOperations,
  type BulkPace,
  type Scheduler,
  type SetTimer,
  type StagedUploads,
} from '../bulk/index.ts';
import { createThrottleRegistry, type ThrottleRegistry } from '../graphql/throttle.ts';
import { createAppRegistry, type App, type AppRegistry } from '../oauth/apps.ts';
import { ALL_SCOPES } from '../oauth/scopes.ts';
import { createTokenStore, type TokenStore } from '../oauth/token-store.ts';
import { createFaults, type Faults } from '../faults/faults.ts';
import {
  createStore,
  generateShop,
  installApp,
  setIdOffset,
  WIDE_ID_OFFSET,
  type Plan,
  type Store,
} from '../store/index.ts';
import { DEFAULT_WEBHOOK_CONCURRENCY, isValidConcurrency } from '../webhooks/delivery-queue.ts';
import type { DeliverySender } from '../webhooks/delivery-types.ts';
import { httpSender } from '../webhooks/sender.ts';
import { WebhookService } from '../webhooks/webhook-service.ts';
import { wireBulk } from './bulk-wiring.ts';
import { CallLog } from './call-log.ts';
import { createSystemClock, type EmulatorClock } from './clock.ts';
import { createCryptoRandom, createSeededRandom } from './random.ts';

export interface EmulatorOptions {
  seed?: number;
  /** Shop names or domains; default one shop `emulator-shop.myshopify.com`. */
  shops?: string[];
  apiKey?: string;
  apiSecret?: string;
  appName?: string;
  appUrl?: string | null;
  redirectUrls?: string[];
  /** Installs the app on every shop with this non-expiring token and all scopes. */
  accessToken?: string | null;
  plan?: Plan;
  products?: number;
  variantsPerProduct?: number;
  customers?: number;
  orders?: number;
  locations?: number;
  /** > 1 compresses the webhook retry schedule. */
  timeScale?: number;
  /** Webhook deliveries in flight at once (integer ≥ 1, default 8); 1 sends them one after another. */
  webhookConcurrency?: number;
  /**
   * Issue every id past 2^53 (Shopify ids are 64-bit; a JS number cannot hold these exactly), so a
   * connector runs end to end on such ids. One id width per process: the last emulator created sets it.
   */
  wideIds?: boolean;
  clock?: EmulatorClock;
  sender?: DeliverySender;
  /** Deliver webhooks on a timer (server default). Tests turn it off and call `webhooks.drain()`. */
  autoDeliver?: boolean;
  onError?: (err: unknown) => void;
  /**
   * Bulk export pace: objects per second per operation, on the emulator's clock (default null: as
   * fast as the emulator runs). Shopify's own run at hundreds to a few thousand per second.
   */
  bulkPace?: BulkPace;
  /** Tests step bulk runs chunk by chunk. */
  bulkScheduler?: Scheduler;
  /** How a paced bulk run waits in real time (tests on a manual clock pass one that never fires). */
  bulkTimer?: SetTimer;
  bulkDataDir?: string;
}

export type ResolvedOptions = Required<
  Omit<EmulatorOptions, 'clock' | 'sender' | 'onError' | 'bulkScheduler' | 'bulkTimer' | 'bulkDataDir'>
>;

export interface Emulator {
  options: ResolvedOptions;
  clock: EmulatorClock;
  store: Store;
  apps: AppRegistry;
  tokens: TokenStore;
  faults: Faults;
  webhooks: WebhookService;
  callLog: CallLog;
  throttles: ThrottleRegistry;
  /**
   * Knobs that survive `reset()`: `POST /clock/scale`, `POST /webhooks/settings`, `POST /bulk/settings`.
   */
  settings: { timeScale: number; webhookConcurrency: number; bulkPace: BulkPace };
  bulk: BulkOperations;
  /** `stagedUploadsCreate` targets and the files uploaded to them (bulk mutation variables). */
  stagedUploads: StagedUploads;
  bulkSigningSecret: string;
  /** Public origin (`http://127.0.0.1:PORT`), set once the server listens. */
  baseUrl: string;
  /** The app configured from the options. */
  app(): App;
  /** Wipes shops, tokens, logs and deliveries and rebuilds the seeded shops. */
  reset(seed?: number): void;
  close(): void;
}

export function resolveOptions(o: EmulatorOptions): ResolvedOptions {
  const seed = o.seed ?? 1;
  const r = createSeededRandom(seed);
  return {
    seed,
    shops: o.shops && o.shops.length > 0 ? o.shops : ['emulator-shop'],
    apiKey: o.apiKey ?? r.hex(16),
    apiSecret: o.apiSecret ?? `shpss_${r.hex(16)}`,
    appName: o.appName ?? 'Retailos',
    appUrl: o.appUrl ?? null,
    redirectUrls: o.redirectUrls ?? [],
    accessToken: o.accessToken ?? null,
    plan: o.plan ?? 'standard',
    products: o.products ?? 10,
    variantsPerProduct: o.variantsPerProduct ?? 3,
    customers: o.customers ?? 5,
    orders: o.orders ?? 5,
    locations: o.locations ?? 1,
    timeScale: o.timeScale ?? 1,
    webhookConcurrency: o.webhookConcurrency ?? DEFAULT_WEBHOOK_CONCURRENCY,
    bulkPace: o.bulkPace ?? null,
    autoDeliver: o.autoDeliver ?? true,
    wideIds: o.wideIds ?? false,
  };
}

export function createEmulator(input: EmulatorOptions = {}): Emulator {
  const options = resolveOptions(input);
  setIdOffset(options.wideIds ? WIDE_ID_OFFSET : 0n);
  if (!isValidConcurrency(options.webhookConcurrency))
    throw new Error(`webhookConcurrency must be an integer ≥ 1, got ${String(options.webhookConcurrency)}`);
  if (!isValidPace(options.bulkPace))
    throw new Error(`bulkPace must be a number > 0 or null, got ${String(options.bulkPace)}`);
  const clock = input.clock ?? createSystemClock();
  const onError = input.onError ?? ((err: unknown) => console.error('[shopify-emulator]', err));
  const store = createStore(clock);
  const apps = createAppRegistry();
  const faults = createFaults(options.seed);
  const settings = {
    timeScale: options.timeScale,
    webhookConcurrency: options.webhookConcurrency,
    bulkPace: options.bulkPace,
  };
  const webhooks = new WebhookService({
    store,
    clock,
    faults,
    ids: createSeededRandom(options.seed + 1),
    appSecret: (key) => apps.get(key)?.apiSecret,
    sender: input.sender ?? httpSender,
    timeScale: () => settings.timeScale,
    concurrency: () => settings.webhookConcurrency,
    realNow: Date.now,
    onError,
  });
  const bulkSigningSecret = createCryptoRandom().hex(32);
  const { bulk, uploads } = wireBulk({
    store,
    clock,
    webhooks,
    baseUrl: () => emu.baseUrl,
    signingSecret: bulkSigningSecret,
    scheduler: input.bulkScheduler,
    dataDir: input.bulkDataDir,
    pace: () => settings.bulkPace,
    setTimer: input.bulkTimer,
    onError,
  });
  const emu: Emulator = {
    options,
    clock,
    store,
    apps,
    tokens: createTokenStore(clock, createCryptoRandom()),
    faults,
    webhooks,
    bulk,
    stagedUploads: uploads,
    bulkSigningSecret,
    baseUrl: 'http://127.0.0.1',
    callLog: new CallLog(),
    throttles: createThrottleRegistry(clock, options.plan),
    settings,
    app: () => apps.get(options.apiKey) as App,
    reset: (seed) => populate(emu, seed ?? options.seed),
    close: () => emu.webhooks.stop(),
  };
  apps.put({
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    name: options.appName,
    appUrl: options.appUrl,
    redirectUrls: options.redirectUrls,
    withheldScopes: [],
    complianceUrl: null,
  });
  populate(emu, options.seed);
  if (options.autoDeliver) emu.webhooks.start();
  return emu;
}

/** (Re)builds the seeded shops and the CLI-given installation. */
function populate(emu: Emulator, seed: number): void {
  const o = emu.options;
  emu.store.shops.clear();
  emu.tokens.clear();
  emu.callLog.clear();
  emu.webhooks.clear();
  emu.faults.reset(seed);
  o.shops.forEach((name) => {
    const shop = generateShop(emu.store, { ...o, seed, domain: name });
    emu.throttles.setPlan(shop.domain, o.plan);
    if (o.accessToken) {
      installApp(emu.store, shop, o.apiKey, [...ALL_SCOPES]);
      emu.tokens.installToken(shop.domain, o.apiKey, [...ALL_SCOPES], o.accessToken);
    }
  });
  emu.webhooks.clear();
}
