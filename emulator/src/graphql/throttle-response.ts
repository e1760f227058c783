import { maxCostExceededError, type ShopifyGraphQLError } from './cost-errors.ts';
import type { FieldCostEntry } from './cost.ts';
import type { ThrottleStatus } from './throttle.ts';

/** `extensions.cost` exactly as Shopify shapes it (plus `fields` when cost debug is asked for). */
export interface CostExtension {
  readonly requestedQueryCost: number;
  readonly actualQueryCost: number | null;
  readonly throttleStatus: ThrottleStatus;
  readonly fields?: readonly FieldCostEntry[];
}

export function costExtension(
  requestedQueryCost: number,
  actualQueryCost: number | null,
  throttleStatus: ThrottleStatus,
  fields?: readonly FieldCostEntry[],
): CostExtension {
  const base = { requestedQueryCost, actualQueryCost, throttleStatus };
  return fields === undefined ? base : { ...base, fields };
}

export const THROTTLED_ERROR: ShopifyGraphQLError = {
  message: 'Throttled',
  extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
};

export interface ThrottledResponse {
  readonly statusCode: 200 | 429;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: {
    readonly errors: readonly ShopifyGraphQLError[];
    readonly extensions: { readonly cost: CostExtension };
  };
}

/**
 * The response to a request the bucket cannot pay for: no `data`, a THROTTLED error and the
 * cost extension with `actualQueryCost: null`. HTTP 200 as Shopify does today; `mode: '429'`
 * answers 429 with `Retry-After` in whole seconds (rounded up, at least 1).
 */
export function throttledResponse(
  requestedQueryCost: number,
  status: ThrottleStatus,
  retryAfterSeconds: number,
  mode: '200' | '429' = '200',
): ThrottledResponse {
  const body = {
    errors: [THROTTLED_ERROR],
    extensions: { cost: costExtension(requestedQueryCost, null, status) },
  };
  if (mode === '200') return { statusCode: 200, headers: {}, body };
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return { statusCode: 429, headers: { 'retry-after': String(seconds) }, body };
}

/** The MAX_COST_EXCEEDED body (HTTP 200, no `data`): the error plus `extensions.cost`, nothing charged. */
export function maxCostExceededBody(
  requestedQueryCost: number,
  status: ThrottleStatus,
): {
  readonly errors: readonly ShopifyGraphQLError[];
  readonly extensions: { readonly cost: CostExtension };
} {
  return {
    errors: [maxCostExceededError(requestedQueryCost)],
    extensions: { cost: costExtension(requestedQueryCost, null, status) },
  };
}
