import { PermanentError } from '../../errors.ts';
import { adminGraphql, type GraphqlResult } from '../../shopify/graphql-client.ts';
import { limitedCall } from '../../shopify/limiter.ts';
import type { ShopSession } from '../shop-session.ts';

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

/**
 * One GraphQL call for the session's shop, inside the shop's shared cost budget when the session has
 * one. `estimate` is the requested cost we expect (Shopify refunds what the query did not use).
 */
export function call<T>(
  s: ShopSession,
  query: string,
  variables: Record<string, unknown>,
  estimate = estimateCost(query),
): Promise<GraphqlResult<T>> {
  const send = () => adminGraphql<T>(s.cfg, { shop: s.shop, accessToken: s.accessToken, query, variables });
  if (!s.limit) return send();
  const options = s.limit.noWait ? { noWait: true } : {};
  return limitedCall(s.limit.limiter, s.limit.tenantId, estimate, s.limit.priority, send, options);
}

/**
 * A requested-cost estimate from the query text, after Shopify's published formula: a mutation 10, a
 * connection 2 + first × (its nodes, ~2 points each with their small objects), objects ~1. Shopify
 * charges less than this and refunds the difference; the limiter then adopts Shopify's numbers.
 */
export function estimateCost(query: string): number {
  let cost = /^\s*mutation\b/.test(query) ? 10 : 1;
  for (const m of query.matchAll(/\bfirst:\s*(\d+)/g)) cost += 2 + 2 * Number(m[1]);
  return Math.min(1000, cost + 4);
}

/** Shopify refused the write (validation): retrying cannot help, so it goes to the dead letter with Shopify's words. */
export class ShopifyRefusal extends PermanentError {
  constructor(
    what: string,
    readonly userErrors: readonly UserError[],
  ) {
    super(
      `Shopify refused ${what}: ${userErrors
        .map(
          (e) =>
            `${e.field?.length ? `${e.field.join('.')}: ` : ''}${e.message}${e.code ? ` (${e.code})` : ''}`,
        )
        .join('; ')}`,
      'shopify_user_errors',
    );
  }
}

export function refuseOn(what: string, userErrors: readonly UserError[] | undefined): void {
  if (userErrors && userErrors.length > 0) throw new ShopifyRefusal(what, userErrors);
}

/** The codes with which Shopify says the record a write names does not exist (any more). */
const GONE_CODES = new Set(['PRODUCT_DOES_NOT_EXIST', 'NOT_FOUND', 'INVALID_INVENTORY_ITEM']);

/**
 * True when Shopify refused a write only because the record it names is not there (deleted on Shopify
 * meanwhile, or a stale link). A hint, not a verdict: the caller reads the record to know.
 */
export function refusedAsGone(err: unknown): err is ShopifyRefusal {
  return (
    err instanceof ShopifyRefusal &&
    err.userErrors.length > 0 &&
    err.userErrors.every(
      (e) =>
        (e.code ? GONE_CODES.has(e.code) : false) || /does not exist|could not be found/i.test(e.message),
    )
  );
}
