import {
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { GraphQLResponseBody, ShopifyError } from './errors.ts';
import { locateNodes } from './locate-nodes.ts';
import { loadAdminSchema, type ApiVersion } from './schema.ts';
import { toShopifyValidationError } from './shopify-validation.ts';

export interface AdminRequest {
  /** A supported version (see `resolveApiVersion`). */
  version: ApiVersion;
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** A parsed, validated request ready for cost analysis and execution. */
export interface PreparedRequest {
  version: ApiVersion;
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
}

export type PrepareResult =
  | { ok: true; prepared: PreparedRequest }
  | { ok: false; status: number; body: GraphQLResponseBody | { errors: Record<string, string> } };

type Checked = { document: DocumentNode; errors: null } | { document: null; errors: ShopifyError[] };

const MAX_CACHED = 500;
const cache = new Map<string, Checked>();

/** Parses and validates a query against the version's schema; results are cached per (version, query). */
export function parseAndValidate(version: ApiVersion, query: string): Checked {
  const key = `${version}\n${query}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const checked = check(loadAdminSchema(version), query);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value ?? key);
  cache.set(key, checked);
  return checked;
}

function check(schema: GraphQLSchema, query: string): Checked {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { document: null, errors: [syntaxError(error)] };
  }
  const errors = validate(schema, document);
  if (errors.length === 0) return { document, errors: null };
  const targetOf = (e: GraphQLError): ASTNode | undefined => e.nodes?.[e.nodes.length - 1];
  const targets = new Set<ASTNode>(errors.flatMap((e) => targetOf(e) ?? []));
  const located = locateNodes(schema, document, targets);
  return {
    document: null,
    errors: errors.map((e) => {
      const target = targetOf(e);
      return toShopifyValidationError(e, target ? located.get(target) : undefined);
    }),
  };
}

function syntaxError(error: GraphQLError): ShopifyError {
  const at = error.locations?.[0];
  const detail = error.message.replace(/^Syntax Error: /, '');
  return {
    message: at ? `syntax error, ${detail} at [${at.line}, ${at.column}]` : `syntax error, ${detail}`,
    ...(at ? { locations: [{ line: at.line, column: at.column }] } : {}),
  };
}

/** Step 1 of a request: parse, validate, pick the operation. */
export function prepareAdminRequest(request: AdminRequest): PrepareResult {
  if (typeof request.query !== 'string' || request.query.trim() === '') {
    return { ok: false, status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } };
  }
  const checked = parseAndValidate(request.version, request.query);
  if (checked.errors) return { ok: false, status: 200, body: { errors: checked.errors } };
  const operation = getOperationAST(checked.document, request.operationName ?? undefined);
  if (!operation) {
    const message = request.operationName
      ? `No operation named "${request.operationName}"`
      : 'An operation name is required when sending multiple operations.';
    return { ok: false, status: 200, body: { errors: [{ message }] } };
  }
  return {
    ok: true,
    prepared: {
      version: request.version,
      schema: loadAdminSchema(request.version),
      document: checked.document,
      operation,
      variables: request.variables ?? {},
    },
  };
}
