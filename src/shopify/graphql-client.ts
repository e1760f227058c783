import { PermanentError, ThrottledError, TransientError } from '../errors.ts';
import { shopUrl } from './origin.ts';

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminClientConfig {
  shopOriginTemplate: string;
  apiVersion: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface GraphqlRequest {
  shop: string;
  accessToken: string;
  query: string;
  variables?: Record<string, unknown>;
}

export interface GraphqlResult<T> {
  data: T;
  cost: QueryCost | undefined;
}

interface GraphqlBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[] | string;
  extensions?: { cost?: QueryCost };
}

/** Waits until the bucket holds the requested cost again, from Shopify's throttleStatus. */
export function throttleWaitMs(requested: number, status: ThrottleStatus | undefined): number {
  if (!status || status.restoreRate <= 0) return 1000;
  const missing = Math.max(0, requested - status.currentlyAvailable);
  return Math.max(250, Math.ceil((missing / status.restoreRate) * 1000));
}

function retryAfterMs(header: string | null): number {
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : 1000; // the header is seconds
}

function classifyStatus(status: number, text: string, retryAfter: string | null): Error | undefined {
  if (status === 429) return new ThrottledError('Shopify answered 429', retryAfterMs(retryAfter));
  if (status >= 500 || status === 423 || status === 408)
    return new TransientError(`Shopify answered ${status}: ${text.slice(0, 200)}`);
  if (status === 401) return new PermanentError('Shopify refused the access token (401)', 'unauthorized');
  if (status === 403)
    return new PermanentError(`Shopify refused access (403): ${text.slice(0, 200)}`, 'forbidden');
  if (status === 404)
    return new PermanentError('Shopify answered 404 (shop or API version not found)', 'not_found');
  if (status >= 400)
    return new PermanentError(`Shopify answered ${status}: ${text.slice(0, 200)}`, 'bad_request');
  return undefined;
}

/** One Admin GraphQL call. Network trouble, 5xx and throttling are transient; the rest permanent. */
export async function adminGraphql<T>(
  cfg: AdminClientConfig,
  req: GraphqlRequest,
): Promise<GraphqlResult<T>> {
  const url = shopUrl(cfg.shopOriginTemplate, req.shop, `/admin/api/${cfg.apiVersion}/graphql.json`);
  let res: Response;
  try {
    res = await (cfg.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-shopify-access-token': req.accessToken,
      },
      body: JSON.stringify({ query: req.query, variables: req.variables ?? {} }),
      signal: AbortSignal.timeout(cfg.timeoutMs ?? 30_000),
    });
  } catch (err) {
    throw new TransientError(`could not reach ${req.shop}: ${(err as Error).message}`, { cause: err });
  }
  const text = await res.text();
  const failure = classifyStatus(res.status, text, res.headers.get('retry-after'));
  if (failure) throw failure;
  let body: GraphqlBody<T>;
  try {
    body = JSON.parse(text) as GraphqlBody<T>;
  } catch (err) {
    throw new TransientError(`Shopify sent a body that is not JSON (${res.status})`, { cause: err });
  }
  const cost = body.extensions?.cost;
  const errors = typeof body.errors === 'string' ? [{ message: body.errors }] : (body.errors ?? []);
  if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
    throw new ThrottledError(
      'Shopify throttled the query',
      throttleWaitMs(cost?.requestedQueryCost ?? 50, cost?.throttleStatus),
    );
  }
  if (errors.length > 0 || body.data == null) {
    const codes = errors.map((e) => e.extensions?.code ?? 'graphql').join(',');
    throw new PermanentError(
      `GraphQL error: ${errors.map((e) => e.message).join('; ') || 'no data'}`,
      codes || 'graphql',
    );
  }
  return { data: body.data, cost };
}
