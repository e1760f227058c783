/** Shared fixture for the GraphQL tests (not a test file itself). */
import {
  createCustomer,
  createProduct,
  createShop,
  createStore,
  manualClock,
  type ManualClock,
  type ShopData,
  type Store,
} from '../store/index.ts';
import { executeAdminGraphQL, type AdminGraphQLResponse } from './admin.ts';
import type { GraphQLResponseBody } from './errors.ts';

export const ALL_SCOPES = [
  'write_products',
  'write_inventory',
  'write_customers',
  'write_orders',
  'read_all_orders',
  'read_locations',
];

export interface Fixture {
  store: Store;
  shop: ShopData;
  clock: ManualClock;
  locationId: number;
  run: (
    query: string,
    variables?: Record<string, unknown>,
    options?: RunOptions,
  ) => Promise<GraphQLResponseBody>;
  raw: (
    query: string,
    variables?: Record<string, unknown>,
    options?: RunOptions,
  ) => Promise<AdminGraphQLResponse>;
}

export interface RunOptions {
  version?: string;
  scopes?: string[];
  appKey?: string;
}

/** A shop with one location and nothing else; `run` executes as an app with all scopes. */
export function fixture(start = '2026-05-01T12:00:00Z'): Fixture {
  const clock = manualClock(new Date(start));
  const store = createStore(clock);
  const shop = createShop(store, { domain: 'test-shop' });
  const locationId = [...shop.locations.keys()][0] as number;
  const raw = (query: string, variables: Record<string, unknown> = {}, options: RunOptions = {}) =>
    executeAdminGraphQL({
      store,
      shop: shop.domain,
      appKey: options.appKey ?? 'app-1',
      scopes: options.scopes ?? ALL_SCOPES,
      version: options.version ?? '2026-04',
      query,
      variables,
    });
  const run = async (query: string, variables: Record<string, unknown> = {}, options: RunOptions = {}) =>
    (await raw(query, variables, options)).body as GraphQLResponseBody;
  return { store, shop, clock, locationId, run, raw };
}

/** A product with two sized variants stocked at the fixture's location. */
export function addTee(f: Fixture, title = 'Tee', available = 10) {
  return createProduct(f.store, f.shop, {
    title,
    options: [{ name: 'Size', values: ['S', 'M'] }],
    variants: ['S', 'M'].map((size) => ({
      sku: `${title.toUpperCase()}-${size}`,
      price: '19.99',
      selectedOptions: [{ name: 'Size', value: size }],
      stock: [{ locationId: f.locationId, available }],
    })),
  });
}

export function addCustomer(f: Fixture, email = 'ann@example.com') {
  return createCustomer(f.store, f.shop, { email, firstName: 'Ann', lastName: 'Lee' });
}

/** Data of a response, failing loudly when it has errors. Loosely typed for test readability. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

export function dataOf(body: GraphQLResponseBody): Loose {
  if (body.errors) throw new Error(`unexpected errors: ${JSON.stringify(body.errors)}`);
  return body.data as Loose;
}
