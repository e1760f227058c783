/**
 * Query cost, as Shopify documents it (reference §4.1).
 *
 * Requested cost (before execution, from the validated document and the real schema):
 *   scalar / enum 0 · object 1 · interface / union: the most expensive possible type ·
 *   connection 2 + size × (cost of what is selected inside it) where size = first ?? last,
 *   each item costing 1 through its `node` / `nodes` entry (the `edges` wrapper and
 *   `pageInfo` are free) · a mutation field 10, whatever it returns · plus the documented
 *   per-field overrides in cost-overrides.ts.
 * Actual cost (after execution): the same rules over what came back, so a connection that
 * returned fewer items costs less; never more than requested.
 *
 * Sizing: Shopify's public rule is linear (`size`). Shopify staff have said the live
 * formula scales connections logarithmically; `logarithmicSizing` (floor(2·ln(max(2,n))))
 * reproduces the one published live figure (requestedQueryCost 25 for
 * `product{variants(first:250){nodes{inventoryItem{id tracked}}}}`). Linear is the default.
 *
 * Use from the GraphQL route (owner B):
 *   const cost = analyzeQueryCost(schema, document, { variables, operationName });
 *   if (cost.requestedQueryCost > MAX_QUERY_COST) → maxCostExceededBody(...)
 *   … throttle (throttle.ts), execute, then actualQueryCost(cost, result.data).
 */
import {
  Kind,
  getOperationAST,
  getVariableValues,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { DEFAULT_COST_OVERRIDES, type CostOverrideTable } from './cost-overrides.ts';
import { costSelection, type CostNode, type WalkContext } from './cost-walk.ts';

export type { CostNode } from './cost-walk.ts';
export { DEFAULT_COST_OVERRIDES, type CostOverrideTable, type FieldCostOverride } from './cost-overrides.ts';

/** Shopify's single-query cap, whatever the plan. */
export const MAX_QUERY_COST = 1000;

export const linearSizing = (size: number): number => size;
export const logarithmicSizing = (size: number): number =>
  size <= 0 ? 0 : Math.floor(2 * Math.log(Math.max(2, size)));

export interface CostOptions {
  readonly variables?: Readonly<Record<string, unknown>> | undefined;
  readonly operationName?: string | null | undefined;
  readonly overrides?: CostOverrideTable;
  readonly sizing?: (size: number) => number;
}

export interface QueryCost {
  readonly requestedQueryCost: number;
  /** One node per root field of the executed operation. */
  readonly nodes: readonly CostNode[];
}

/** One entry of the `Shopify-GraphQL-Cost-Debug: 1` breakdown (`extensions.cost.fields`). */
export interface FieldCostEntry {
  readonly path: readonly string[];
  readonly definedCost: number;
  readonly requestedTotalCost: number;
  readonly requestedChildrenCost: number | null;
}

export function analyzeQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  options: CostOptions = {},
): QueryCost {
  const operation = getOperationAST(document, options.operationName ?? undefined);
  if (!operation) return { requestedQueryCost: 0, nodes: [] };
  const rootType = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!rootType) return { requestedQueryCost: 0, nodes: [] };
  const ctx: WalkContext = {
    schema,
    fragments: fragmentsOf(document),
    variables: coerceVariables(schema, operation.variableDefinitions ?? [], options.variables ?? {}),
    overrides: options.overrides ?? DEFAULT_COST_OVERRIDES,
    sizing: options.sizing ?? linearSizing,
  };
  const { children, cost } = costSelection(ctx, rootType, operation.selectionSet, []);
  return { requestedQueryCost: cost, nodes: children };
}

/** Cost of what execution returned; `data` is `ExecutionResult.data` (null/undefined → nothing resolved). */
export function actualQueryCost(
  cost: QueryCost,
  data: Readonly<Record<string, unknown>> | null | undefined,
): number {
  if (data == null) return 0;
  return Math.min(cost.requestedQueryCost, sumNodes(cost.nodes, data));
}

/** The per-field breakdown, deepest fields first, as Shopify lists it. */
export function costDebugFields(cost: QueryCost): FieldCostEntry[] {
  const out: FieldCostEntry[] = [];
  const visit = (node: CostNode): void => {
    for (const child of node.children) visit(child);
    out.push({
      path: node.path,
      definedCost: node.definedCost,
      requestedTotalCost: node.requestedTotalCost,
      requestedChildrenCost: node.requestedChildrenCost,
    });
  };
  for (const node of cost.nodes) visit(node);
  return out;
}

function sumNodes(nodes: readonly CostNode[], value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let total = 0;
  for (const node of nodes) total += nodeActual(node, (value as Record<string, unknown>)[node.key]);
  return total;
}

function nodeActual(node: CostNode, value: unknown): number {
  if (node.kind === 'leaf' || node.kind === 'mutation') return node.definedCost;
  if (node.kind === 'connection' || !Array.isArray(value)) return node.definedCost + itemsActual(node, value);
  let total = 0;
  for (const item of value) total += node.definedCost + itemsActual(node, item);
  return total;
}

function itemsActual(node: CostNode, value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + sumNodes(node.children, item), 0);
  return sumNodes(node.children, value);
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) out[def.name.value] = def;
  return out;
}

/** Variables coerced as execution will; if they do not coerce, execution reports it and cost uses the raw inputs. */
function coerceVariables(
  schema: GraphQLSchema,
  definitions: Parameters<typeof getVariableValues>[1],
  inputs: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const result = getVariableValues(schema, definitions, inputs as Record<string, unknown>);
  return result.coerced ?? inputs;
}
