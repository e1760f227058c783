import { GraphQLError } from 'graphql';

/** One top-level error as Shopify returns it. */
export interface ShopifyError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** The JSON body of a GraphQL response. */
export interface GraphQLResponseBody {
  data?: Record<string, unknown> | null;
  errors?: ShopifyError[];
  extensions?: Record<string, unknown>;
}

export const NOT_IMPLEMENTED = 'NOT_IMPLEMENTED_IN_EMULATOR';

/** Error for a schema field/argument/mutation the emulator does not implement. */
export function notImplemented(what: string): GraphQLError {
  return new GraphQLError(`${what} is not implemented in the Shopify emulator`, {
    extensions: { code: NOT_IMPLEMENTED },
  });
}

/** Shopify's access-denied error for a field needing a scope the app lacks. */
export function accessDenied(field: string, scope: string): GraphQLError {
  const requiredAccess = `\`${scope}\` access scope.`;
  return new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
    extensions: {
      code: 'ACCESS_DENIED',
      documentation: 'https://shopify.dev/api/usage/access-scopes',
      requiredAccess,
    },
  });
}

/** A request-level error with a code (e.g. connection argument errors). */
export function requestError(message: string, code?: string): GraphQLError {
  return new GraphQLError(message, code === undefined ? {} : { extensions: { code } });
}

/** Converts a graphql-js error into Shopify's JSON shape. */
export function toShopifyError(error: GraphQLError): ShopifyError {
  const out: ShopifyError = { message: error.message };
  if (error.locations && error.locations.length > 0)
    out.locations = error.locations.map((l) => ({ line: l.line, column: l.column }));
  if (error.path) out.path = [...error.path];
  const extensions = error.extensions as Record<string, unknown> | undefined;
  if (extensions && Object.keys(extensions).length > 0) out.extensions = { ...extensions };
  return out;
}
