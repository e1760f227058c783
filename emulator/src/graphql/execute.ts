import { execute, GraphQLError, type GraphQLFieldResolver, type GraphQLTypeResolver } from 'graphql';
import { getShop } from '../store/index.ts';
import type { ExecContext, ExecuteOptions, RootResolver } from './context.ts';
import { notImplemented, toShopifyError, type GraphQLResponseBody, type ShopifyError } from './errors.ts';
import { MUTATION_RESOLVERS } from './mutations/index.ts';
import type { PreparedRequest } from './prepare.ts';
import { QUERY_RESOLVERS } from './queries/index.ts';

type ViewValue = unknown;

function rootResolver(ctx: ExecContext, kind: 'query' | 'mutation', name: string): RootResolver | undefined {
  const extra = ctx.rootResolvers[kind]?.[name];
  if (extra) return extra;
  const builtIn = kind === 'query' ? QUERY_RESOLVERS : MUTATION_RESOLVERS;
  return Object.hasOwn(builtIn, name) ? builtIn[name] : undefined;
}

/**
 * Resolves root fields from the registries and every other field from "view" objects:
 * a property holds the value, or a function `(args, ctx, info)` computing it.
 * A property that is absent means "not implemented" and answers a named error.
 */
const fieldResolver: GraphQLFieldResolver<unknown, ExecContext> = (source, args, ctx, info) => {
  const schema = info.schema;
  const isQuery = info.parentType === schema.getQueryType();
  if (isQuery || info.parentType === schema.getMutationType()) {
    const kind = isQuery ? 'query' : 'mutation';
    const resolver = rootResolver(ctx, kind, info.fieldName);
    if (!resolver) throw notImplemented(`${isQuery ? 'Query' : 'Mutation'} field '${info.fieldName}'`);
    return resolver(args, ctx, info);
  }
  const view = source as Record<string, ViewValue>;
  if (view === null || typeof view !== 'object' || !(info.fieldName in view)) {
    throw notImplemented(`Field '${info.fieldName}' on type '${info.parentType.name}'`);
  }
  const value = view[info.fieldName];
  return typeof value === 'function'
    ? (value as (a: unknown, c: ExecContext, i: unknown) => unknown).call(view, args, ctx, info)
    : value;
};

const typeResolver: GraphQLTypeResolver<unknown, ExecContext> = (value) => {
  const typename = (value as { __typename?: unknown } | null)?.__typename;
  if (typeof typename !== 'string') throw new GraphQLError('emulator view without __typename');
  return typename;
};

/** Step 3 of a request: execute a prepared request against the shop. */
export async function executePrepared(
  prepared: PreparedRequest,
  options: ExecuteOptions,
): Promise<GraphQLResponseBody> {
  const ctx: ExecContext = {
    store: options.store,
    shop: getShop(options.store, options.shop),
    appKey: options.appKey,
    scopes: new Set(options.scopes),
    clock: options.clock ?? options.store.clock,
    version: prepared.version,
    prepared,
    rootResolvers: options.rootResolvers ?? {},
    bulkMode: options.bulkMode ?? false,
    searchWarnings: [],
  };
  const result = await execute({
    schema: prepared.schema,
    document: prepared.document,
    operationName: prepared.operation.name?.value ?? null,
    variableValues: prepared.variables,
    contextValue: ctx,
    fieldResolver,
    typeResolver,
  });
  if (result.data === undefined && result.errors) {
    return { errors: result.errors.map((e) => variableError(prepared, e)) };
  }
  const body: GraphQLResponseBody = { data: (result.data ?? null) as Record<string, unknown> | null };
  if (result.errors && result.errors.length > 0) body.errors = result.errors.map(toShopifyError);
  if (ctx.searchWarnings.length > 0) body.extensions = { search: ctx.searchWarnings };
  return body;
}

/** graphql-js variable coercion errors → Shopify's INVALID_VARIABLE shape. */
function variableError(prepared: PreparedRequest, error: GraphQLError): ShopifyError {
  const match =
    /^Variable "\$(\w+)" (?:got invalid value (.*?); (.*)|of required type ".+" was not provided\.|of non-null type ".+" must not be null\.)$/s.exec(
      error.message,
    );
  if (!match || match[1] === undefined) return toShopifyError(error);
  const name = match[1];
  const definition = prepared.operation.variableDefinitions?.find((d) => d.variable.name.value === name);
  const type = definition ? printType(definition.type) : '';
  const out = toShopifyError(error);
  return {
    ...out,
    message: `Variable $${name} of type ${type} was provided invalid value`,
    extensions: {
      code: 'INVALID_VARIABLE',
      value: prepared.variables[name] ?? null,
      problems: [{ path: [], explanation: match[3] ?? 'Expected value to not be null' }],
    },
  };
}

function printType(node: import('graphql').TypeNode): string {
  if (node.kind === 'NonNullType') return `${printType(node.type)}!`;
  if (node.kind === 'ListType') return `[${printType(node.type)}]`;
  return node.name.value;
}
