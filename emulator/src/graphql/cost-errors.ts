import { MAX_QUERY_COST } from './cost.ts';

/** A top-level GraphQL error as Shopify sends it (`errors[]`). */
export interface ShopifyGraphQLError {
  readonly message: string;
  readonly extensions: Readonly<Record<string, unknown>>;
}

/**
 * The error Shopify returns, before execution, for a query whose requested cost is above
 * the single-query cap (1000): message text and `extensions` as observed in captured
 * responses (`code`, `cost`, `maxCost`). Sent with HTTP 200 and no `data`.
 */
export function maxCostExceededError(
  requestedQueryCost: number,
  maxCost: number = MAX_QUERY_COST,
): ShopifyGraphQLError {
  const message =
    `Query cost is ${requestedQueryCost}, which exceeds the single query max cost limit (${maxCost}).\n\n` +
    'See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n' +
    'cost of a query is calculated.\n\n' +
    'To query larger amounts of data with fewer limits, bulk operations should be used instead.\n' +
    'See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n';
  return { message, extensions: { code: 'MAX_COST_EXCEEDED', cost: requestedQueryCost, maxCost } };
}

export function exceedsMaxCost(requestedQueryCost: number, maxCost: number = MAX_QUERY_COST): boolean {
  return requestedQueryCost > maxCost;
}
