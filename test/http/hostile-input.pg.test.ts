// No 5xx on hostile input: every route the app documents in its OpenAPI document (so a route added
// later is covered without touching this file) gets requests with hostile query strings, path
// parameters and JSON bodies, from a logged-in session. None may answer 5xx, and a refused request
// (4xx) must leave the database as it was.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/shopify/secret-box.ts';
import { requestedScopes } from '../../src/sync/shopify-deps.ts';
import { useTestApp } from '../../test-support/api-client.ts';
import type { TestSession } from '../../test-support/app.ts';

const t = useTestApp({
  // Wired to a Shopify that is never reached (port 9, discard), so the Shopify routes run their
  // validation and their database paths instead of answering 503 "not configured".
  shopify: {
    app: {
      apiKey: 'key',
      apiSecret: 'secret',
      appUrl: 'http://127.0.0.1:3000',
      shopOriginTemplate: 'http://127.0.0.1:9/{shop}',
      apiVersion: '2026-04',
      scopes: requestedScopes(false),
    },
    secretBox: createSecretBox(randomBytes(32), randomBytes),
  },
});

type Json = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface Route {
  method: Method;
  /** OpenAPI path, `{id}` style. */
  path: string;
  params: string[];
  query: string[];
  body: Json | undefined;
}

/** The routes of the app's own OpenAPI document, with their parameter names and body schema. */
function routesOf(doc: Json): Route[] {
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries(doc['paths'] as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const parameters = (op['parameters'] ?? []) as { in: string; name: string }[];
      const content = (op['requestBody'] as { content?: Record<string, { schema: Json }> } | undefined)
        ?.content;
      routes.push({
        method: method.toUpperCase() as Method,
        path,
        params: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        body: content?.['application/json']?.schema,
      });
    }
  }
  return routes;
}

const NUL = 'a\u0000b';
const LONE_HIGH = 'x\ud800y';
const LONE_LOW = '\udfff';
const EXTREME_DATES = [
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '1969-12-31T23:59:59Z',
  '2024-02-30T00:00:00Z',
];
const cursorOf = (s: string): string => Buffer.from(s).toString('base64url');
const UUID = '00000000-0000-4000-8000-000000000000';

/** Strings a client could send that a careless edge passes to Postgres. */
const hostileString = fc.oneof(
  fc.constantFrom(
    NUL,
    '\u0000',
    LONE_HIGH,
    LONE_LOW,
    ...EXTREME_DATES,
    ...EXTREME_DATES.map((d) => cursorOf(`${d}|${UUID}`)),
    cursorOf(`2024-01-01T00:00:00.000Z|${UUID}\u0000`),
    cursorOf('\ud800|x'),
    '1e400',
    '-1e400',
    'NaN',
    'Infinity',
    '99999999999999999999999999',
    '9223372036854775808',
    '-9223372036854775809',
    '0x10',
    '',
    ' ',
    '%',
    '\\',
    "'; drop table products; --",
    '999999999999999.9999',
    '1000000000000000000',
    UUID,
    'x'.repeat(300),
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', '%', '|', '-'), maxLength: 8 }),
);

const hugeNumber = fc.constantFrom(
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 63,
  0.5,
  -0,
  1e-320,
);

/** 100,000 levels of arrays in one JSON body (200 kB, under the body limit). */
const DEEP_JSON = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

/** Nested arrays or objects deeper than any schema. */
const deep = fc.integer({ min: 20, max: 200 }).map((depth) => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
});

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 2, arbitrary: hugeNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [NUL], { [NUL]: 1 }) },
  { weight: 1, arbitrary: deep },
);

/** A plausible value for a JSON schema, so hostile leaves get past the outer checks. */
function plausible(schema: Json | undefined): unknown {
  if (!schema) return 'x';
  if (schema['enum']) return (schema['enum'] as unknown[])[0];
  const anyOf = (schema['anyOf'] ?? schema['oneOf']) as Json[] | undefined;
  if (anyOf?.[0]) return plausible(anyOf[0]);
  switch (schema['type']) {
    case 'object':
      return Object.fromEntries(
        ((schema['required'] ?? []) as string[]).map((k) => [
          k,
          plausible((schema['properties'] as Record<string, Json>)[k]),
        ]),
      );
    case 'array':
      return [plausible(schema['items'] as Json)];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      if (schema['format'] === 'uuid') return UUID;
      if (schema['format'] === 'date-time') return '2024-01-01T00:00:00Z';
      return typeof schema['pattern'] === 'string' && schema['pattern'].includes('\\d') ? '1.00' : 'x';
  }
}

/** A body that follows the schema's shape, with hostile values in some of its fields. */
function hostileBody(schema: Json): fc.Arbitrary<unknown> {
  if (schema['type'] === 'object' && schema['properties']) {
    const props = schema['properties'] as Record<string, Json>;
    const base = plausible(schema) as Json;
    const fields = Object.fromEntries(
      Object.entries(props).map(([k, s]) => [k, fc.option(fc.oneof(hostileValue, hostileBody(s)))]),
    );
    return fc.record(fields).map((r) => {
      const out: Json = { ...base };
      for (const [k, v] of Object.entries(r)) if (v !== null) out[k] = v;
      return out;
    });
  }
  if (schema['type'] === 'array' && schema['items']) {
    return fc.array(fc.oneof(hostileValue, hostileBody(schema['items'] as Json)), { maxLength: 3 });
  }
  return fc.oneof(
    { weight: 3, arbitrary: hostileValue },
    { weight: 1, arbitrary: fc.constant(plausible(schema)) },
  );
}

interface Request {
  url: string;
  body: unknown;
  rawBody: string | undefined;
}

/**
 * Percent-encodes like encodeURIComponent, and a lone surrogate as the three bytes a careless client
 * would send for it (invalid UTF-8, e.g. %ED%A0%80), which encodeURIComponent refuses to produce.
 */
function encode(s: string): string {
  return s.replace(/[\s\S]/gu, (ch) => {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    }
    return encodeURIComponent(ch);
  });
}

/** The cases every route gets besides the random ones: each parameter and field with each worst value. */
const WORST: unknown[] = [NUL, LONE_HIGH, cursorOf(`${EXTREME_DATES[0]}|${UUID}`), 1e308];

function examplesFor(route: Route): Request[] {
  const path = route.path.replace(/\{[^}]+\}/g, UUID);
  const out: Request[] = [];
  for (const k of route.query) {
    for (const v of WORST)
      out.push({ url: `${path}?${k}=${encode(String(v))}`, body: undefined, rawBody: undefined });
  }
  for (const name of route.params) {
    for (const v of WORST) {
      out.push({
        url: route.path.replace(`{${name}}`, encode(String(v))).replace(/\{[^}]+\}/g, UUID),
        body: undefined,
        rawBody: undefined,
      });
    }
  }
  if (route.body) out.push({ url: path, body: undefined, rawBody: DEEP_JSON });
  const props = Object.keys((route.body?.['properties'] ?? {}) as Json);
  for (const k of props) {
    for (const v of WORST)
      out.push({ url: path, body: { ...(plausible(route.body) as Json), [k]: v }, rawBody: undefined });
  }
  return out;
}

function requestFor(route: Route): fc.Arbitrary<Request> {
  const param = fc.oneof(fc.constant(UUID), fc.constant('1'), hostileString);
  const params = fc.tuple(...route.params.map(() => param));
  const queryValue = fc.oneof(hostileString, fc.array(hostileString, { minLength: 2, maxLength: 3 }));
  // Each documented parameter, present half the time; now and then an unknown one too.
  const query = fc.record(
    Object.fromEntries(
      [...route.query, 'unknown_key'].map((k) => [
        k,
        fc.option(queryValue, { freq: k === 'unknown_key' ? 10 : 2 }),
      ]),
    ),
  );
  const body = route.body ? hostileBody(route.body) : fc.constant(undefined);
  const raw = fc.option(
    fc.constantFrom('{"a":', '[]', '"\\u0000"', '{"title":"\\ud800"}', 'null', DEEP_JSON),
    {
      freq: 8,
    },
  );
  return fc.record({ params, query, body, raw }).map(({ params: values, query: q, body: b, raw: r }) => {
    let path = route.path;
    route.params.forEach((name, i) => {
      path = path.replace(`{${name}}`, encode(String(values[i])));
    });
    const qs = Object.entries(q)
      .filter((e): e is [string, string | string[]] => e[1] !== null)
      .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((each) => `${encode(k)}=${encode(each)}`))
      .join('&');
    return { url: qs ? `${path}?${qs}` : path, body: b, rawBody: r ?? undefined };
  });
}

/** What the API stores, as one value: equal before and after a refused request. */
async function fingerprint(): Promise<string> {
  const tables = [
    'tenants',
    'users',
    'api_tokens',
    'products',
    'variants',
    'locations',
    'inventory_levels',
    'inventory_adjustments',
    'customers',
    'orders',
    'order_line_items',
    'changes',
    'shopify_connections',
    'shopify_imports',
    'shopify_dead_letters',
    'shopify_sync_history',
  ];
  // A row inserted or updated gets a newer xmin, a deleted one lowers the count.
  const sql = tables
    .map((tb) => `select '${tb}' as t, count(*)::int as n, max(xmin::text::bigint)::text as x from ${tb}`)
    .join(' union all ');
  const { rows } = await t.db.query(sql);
  return JSON.stringify(rows);
}

let session: TestSession;
let routes: Route[];

beforeAll(async () => {
  // A queue that takes every job, so routes that enqueue (replay) run instead of answering 503.
  t.deps.enqueue = async () => {};
  session = await t.login(t.a);
  const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(doc.statusCode).toBe(200);
  routes = routesOf(doc.json() as Json);
});

async function send(route: Route, req: Request): Promise<LightMyRequestResponse> {
  const withBody = route.method !== 'GET' && route.method !== 'DELETE';
  const payload = req.rawBody ?? (withBody && req.body !== undefined ? JSON.stringify(req.body) : undefined);
  return t.app.inject({
    method: route.method,
    url: req.url,
    headers: {
      ...session.headers,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload }),
  });
}

describe('hostile input never gets a 5xx', () => {
  it('the OpenAPI document lists the routes this property walks', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      'GET /api/products',
      'POST /api/products',
      'GET /api/customers',
      'GET /api/shopify/history',
      'POST /api/shopify/connect',
      'PATCH /api/products/{id}',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('the reported inputs answer 4xx with a clear message', async () => {
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: session.headers });
    const cursor = cursorOf(`+275760-09-13T00:00:00.000Z|${UUID}`);
    const failures: string[] = [];
    for (const url of [
      '/api/products?q=a%00b',
      '/api/products?sku=a%00b',
      '/api/customers?q=a%00b',
      '/api/shopify/history?q=a%00b',
      `/api/products?cursor=${cursor}`,
      `/api/customers?cursor=${cursor}`,
    ]) {
      const res = await get(url);
      const body = res.json() as { error?: { code: string; message: string } };
      if (res.statusCode < 400 || res.statusCode >= 500 || !body.error?.message.match(/\w/)) {
        failures.push(`${url} → ${res.statusCode} ${res.body}`);
      }
    }
    expect(failures).toEqual([]);
    const before = await fingerprint();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/products',
      headers: { ...session.headers, 'content-type': 'application/json' },
      payload: '{"title":"nul\\u0000byte"}',
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        details: { issues: [{ path: 'title', message: expect.stringMatching(/NUL/) }] },
      },
    });
    expect(await fingerprint()).toBe(before);
  });

  it('holds for every documented route: no 5xx, and a 4xx changes nothing', async () => {
    expect(routes.length).toBeGreaterThan(20);
    // Every route is tried, and every failing one reported with its shrunk counterexample.
    const failures: string[] = [];
    // What the database held before each request: the fingerprint taken after the one before it.
    let before = await fingerprint();
    for (const route of routes) {
      await fc
        .assert(
          fc.asyncProperty(requestFor(route), async (req) => {
            const res = await send(route, req);
            const after = await fingerprint();
            const what = `${route.method} ${req.url} ${req.rawBody ?? JSON.stringify(req.body) ?? ''}`;
            const was = before;
            before = after;
            expect(res.statusCode, `${what} → ${res.body}`).toBeLessThan(500);
            if (res.statusCode >= 400) expect(after, `${what} changed data`).toBe(was);
            if (route.path === '/api/auth/logout' && res.statusCode < 300) session = await t.login(t.a);
          }),
          { numRuns: 20, examples: examplesFor(route).map((e) => [e]) },
        )
        .catch((err: unknown) => failures.push(`${route.method} ${route.path}: ${String(err)}`));
      before = await fingerprint();
    }
    expect(failures).toEqual([]);
  });
});

describe('an order’s shipping address under hostile input', () => {
  const LINES = [
    'first_name',
    'last_name',
    'company',
    'address1',
    'address2',
    'city',
    'province_code',
    'country_code',
    'zip',
    'phone',
  ] as const;
  const CODES = new Set(['province_code', 'country_code']);

  /** What the API should store for lines it accepted: trimmed, blank ones left out, codes upper-cased. */
  function stored(lines: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of LINES) {
      const v = lines[k];
      if (typeof v === 'string' && v.trim() !== '') out[k] = CODES.has(k) ? v.trim().toUpperCase() : v.trim();
    }
    return out;
  }

  it('PATCH never answers 5xx; a 4xx changes nothing, a 2xx stores exactly the lines sent', async () => {
    const headers = { ...session.headers, 'content-type': 'application/json' };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers,
      payload: JSON.stringify({
        currency: 'EUR',
        line_items: [{ title: 'Tee', quantity: 1, unit_price: '5.00' }],
        shipping_address: { address1: '1 Quai Rambaud', city: 'Lyon', country_code: 'FR' },
      }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    // Mostly lines a client could mean, now and then a hostile one, so both answers come up.
    const line = fc.oneof(
      { weight: 8, arbitrary: fc.string({ maxLength: 12 }) },
      { weight: 1, arbitrary: hostileValue },
    );
    const countryCode = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('fr', ' US ', 'ZZ', '') },
      { weight: 1, arbitrary: fc.constantFrom('XX', 'France', 'ÎLE') },
      { weight: 1, arbitrary: hostileValue },
    );
    const address = fc.record(
      Object.fromEntries(LINES.map((k) => [k, k === 'country_code' ? countryCode : line])),
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      { weight: 5, arbitrary: address.map((a) => ({ shipping_address: a })) },
      { weight: 1, arbitrary: hostileValue.map((v) => ({ shipping_address: v })) },
    );
    let before = await fingerprint();
    const answered = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await t.app.inject({
          method: 'PATCH',
          url: `/api/orders/${id}`,
          headers,
          payload: JSON.stringify(b),
        });
        const after = await fingerprint();
        const was = before;
        before = after;
        expect(res.statusCode, `${JSON.stringify(b)} → ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          answered.refused += 1;
          expect(after, `${JSON.stringify(b)} changed data`).toBe(was);
          expect((res.json() as { error: { message: string } }).error.message).toMatch(/\w/);
          return;
        }
        answered.accepted += 1;
        const sent = stored(b.shipping_address as Record<string, unknown>);
        expect((res.json() as { shipping_address: unknown }).shipping_address).toEqual(sent);
        const read = await t.app.inject({
          method: 'GET',
          url: `/api/orders/${id}`,
          headers: session.headers,
        });
        expect((read.json() as { shipping_address: unknown }).shipping_address).toEqual(sent);
      }),
      { numRuns: 60 },
    );
    // Both branches ran: the property is not only about refusals.
    expect(answered.accepted).toBeGreaterThan(0);
    expect(answered.refused).toBeGreaterThan(0);
  });
});
