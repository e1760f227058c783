import { parseArgs } from 'node:util';
import type { StartOptions } from './start.ts';
import type { Plan } from './store/index.ts';

export type { RunningEmulator, StartOptions } from './start.ts';

const HELP = `shopify-emulator — a local Shopify store (Admin GraphQL, OAuth, webhooks, bulk operations)

Usage: shopify-emulator [options]

  --port N                  port to listen on (default 4010; 0 = any free port)
  --host HOST               interface (default 127.0.0.1)
  --seed N                  seed of the generated store and of faults (default 1)
  --shop NAME               shop to create; repeatable (default emulator-shop)
  --api-key KEY             the app's API key (client_id); default derived from the seed
  --api-secret SECRET       the app's API secret; default derived from the seed
  --access-token TOKEN      install the app on every shop with this offline token and all scopes
  --plan PLAN               standard | advanced | plus | enterprise (rate-limit bucket; default standard)
  --products N              products per shop (default 10)
  --variants-per-product N  variants per product (default 3)
  --customers N             customers per shop (default 5)
  --orders N                orders per shop (default 5)
  --locations N             locations per shop (default 1)
  --time-scale X            compress the webhook retry schedule X times (default 1)
  --webhook-concurrency N   webhook deliveries in flight at once (default 8; 1 = one at a time)
  --bulk-pace N             bulk exports run at N objects per second each, as Shopify's do
                            (default: unpaced, as fast as the emulator goes)
  --redirect-url URL        allowed OAuth redirect URL; repeatable (default: any loopback URL)
  --faults PROFILE          start with a fault profile (none, flaky, outage, throttle-storm, …)
  --wide-ids                issue every id past 2^53 (64-bit ids a JS number cannot hold exactly)
  --help                    this text

On start it prints the URLs and credentials, then one line
  SHOPIFY_EMULATOR_READY {"url":…,"port":…,…}
that a parent process can parse.
`;

const PLANS: readonly Plan[] = ['standard', 'advanced', 'plus', 'enterprise'];

export function parseCli(argv: string[]): StartOptions & { help: boolean; faults?: string } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      shop: { type: 'string', multiple: true },
      'api-key': { type: 'string' },
      'api-secret': { type: 'string' },
      'access-token': { type: 'string' },
      plan: { type: 'string' },
      products: { type: 'string' },
      'variants-per-product': { type: 'string' },
      customers: { type: 'string' },
      orders: { type: 'string' },
      locations: { type: 'string' },
      'time-scale': { type: 'string' },
      'webhook-concurrency': { type: 'string' },
      'bulk-pace': { type: 'string' },
      'redirect-url': { type: 'string', multiple: true },
      faults: { type: 'string' },
      'wide-ids': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const int = (name: string, v: string | undefined, min = 0): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${v}"`);
    return n;
  };
  const plan = values.plan;
  if (plan !== undefined && !PLANS.includes(plan as Plan))
    throw new Error(`--plan must be one of ${PLANS.join(', ')}`);
  const timeScale = values['time-scale'] === undefined ? undefined : Number(values['time-scale']);
  if (timeScale !== undefined && !(timeScale > 0)) throw new Error('--time-scale must be a number > 0');
  const opts: StartOptions & { help: boolean; faults?: string } = {
    help: values.help ?? false,
    port: int('port', values.port) ?? 4010,
  };
  const set = <K extends keyof StartOptions>(key: K, value: StartOptions[K] | undefined): void => {
    if (value !== undefined) (opts as StartOptions)[key] = value;
  };
  set('host', values.host);
  set('seed', int('seed', values.seed));
  set('shops', values.shop);
  set('apiKey', values['api-key']);
  set('apiSecret', values['api-secret']);
  set('accessToken', values['access-token']);
  set('plan', plan as Plan | undefined);
  set('products', int('products', values.products));
  set('variantsPerProduct', int('variants-per-product', values['variants-per-product'], 1));
  set('customers', int('customers', values.customers));
  set('orders', int('orders', values.orders));
  set('locations', int('locations', values.locations, 1));
  set('timeScale', timeScale);
  set('webhookConcurrency', int('webhook-concurrency', values['webhook-concurrency'], 1));
  set('bulkPace', int('bulk-pace', values['bulk-pace'], 1));
  set('redirectUrls', values['redirect-url']);
  set('wideIds', values['wide-ids']);
  if (values.faults !== undefined) opts.faults = values.faults;
  return opts;
}

/** CLI entry: parse flags, start, print URLs + a machine-readable line, stop on SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<void> {
  let opts: ReturnType<typeof parseCli>;
  try {
    opts = parseCli(argv);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (opts.help) {
    process.stdout.write(HELP);
    return;
  }
  const { startEmulator } = await import('./start.ts');
  const { info } = await import('./control/routes/system.ts');
  const running = await startEmulator(opts);
  if (opts.faults) running.emulator.faults.applyProfile(opts.faults);
  const i = info(running.emulator);
  const app = running.emulator.app();
  const lines = [
    `Shopify emulator listening on ${running.url}`,
    `  shop origin template: ${running.shopOriginTemplate}`,
    ...running.emulator.options.shops.map((s) => `  shop: ${running.shopOrigin(s)}`),
    `  admin page:          ${running.url}/_emulator/admin`,
    `  control API:         ${running.url}/_emulator`,
    `  app api key:         ${app.apiKey}`,
    `  app api secret:      ${app.apiSecret}`,
    ...(running.emulator.options.accessToken
      ? [`  access token:        ${running.emulator.options.accessToken}`]
      : []),
  ];
  process.stdout.write(
    `${lines.join('\n')}\nSHOPIFY_EMULATOR_READY ${JSON.stringify({ ...i, port: running.port })}\n`,
  );
  const stop = (): void => {
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
