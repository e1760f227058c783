import { PermanentError } from '../../errors.ts';
import { adminGraphql, type GraphqlResult } from '../../shopify/graphql-client.ts';
import type { ShopSession } from '../shop-session.ts';

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

/** One GraphQL call for the session's shop. */
export function call<T>(
  s: ShopSession,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphqlResult<T>> {
  return adminGraphql<T>(s.cfg, { shop: s.shop, accessToken: s.accessToken, query, variables });
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
