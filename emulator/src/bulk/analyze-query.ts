/**
 * Bulk query rules (reference §5), checked on a parsed and schema-validated document:
 * a `query` operation with exactly one top-level field, which is a connection; at most 5
 * connections; connections nested at most 2 deep; no top-level `node`/`nodes`; contents
 * selected through `edges { node { … } } }`; the `node` of a connection with nested
 * connections selects `id` (no alias); no connection under a list field.
 * Messages are Shopify's as captured from live responses (field ["query"], code INVALID).
 *
 * On success returns the plan the runner flattens results with.
 */
import {
  Kind,
  getNamedType,
  isListType,
  isNonNullType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { isConnectionType } from '../graphql/cost-walk.ts';

export const MAX_BULK_CONNECTIONS = 5;
export const MAX_BULK_DEPTH = 2;

/** A connection in the bulk query: where it sits under the enclosing node, and its own nested connections. */
export interface ConnectionPlan {
  /** Response keys from the enclosing node object (or the data root) down to the connection field. */
  readonly keyPath: readonly string[];
  readonly field: FieldNode;
  readonly children: readonly ConnectionPlan[];
}

export interface BulkQueryPlan {
  readonly operation: OperationDefinitionNode;
  readonly root: ConnectionPlan;
  /** Every connection field node (the root included), for the execution rewrite. */
  readonly connectionFields: ReadonlySet<FieldNode>;
}

export type BulkAnalysis = { ok: true; plan: BulkQueryPlan } | { ok: false; messages: string[] };

interface State {
  readonly schema: GraphQLSchema;
  readonly fragments: Record<string, FragmentDefinitionNode>;
  readonly fields: Set<FieldNode>;
  nodesFields: string[];
  withoutId: string[];
  maxDepth: number;
  inList: boolean;
}

export function analyzeBulkQuery(schema: GraphQLSchema, document: DocumentNode): BulkAnalysis {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[0];
  if (!operation || operation.operation !== 'query') {
    return { ok: false, messages: ['Invalid operation type. Only `query` operations are supported.'] };
  }
  const state: State = {
    schema,
    fragments: fragmentsOf(document),
    fields: new Set(),
    nodesFields: [],
    withoutId: [],
    maxDepth: 0,
    inList: false,
  };
  const rootType = schema.getQueryType();
  const rootFields = rootType ? collect(state, operation.selectionSet) : new Map<string, FieldNode[]>();
  const messages: string[] = [];
  const topNode = [...rootFields.values()]
    .map((f) => f[0]?.name.value)
    .find((n) => n === 'node' || n === 'nodes');
  if (topNode) messages.push(`Bulk queries cannot contain a top level \`${topNode}\` field.`);
  if (rootFields.size > 1 && !topNode)
    messages.push('Bulk queries must contain exactly one top-level field.');
  const plans = rootType && !topNode ? walk(state, rootType, operation.selectionSet, [], 0) : [];
  pushRuleMessages(state, messages);
  const root = plans[0];
  if (state.fields.size === 0 && (messages.length === 0 || (topNode && messages.length === 1))) {
    messages.push('Bulk queries must contain at least one connection.');
  } else if (messages.length === 0 && (!root || root.keyPath.length !== 1)) {
    messages.push('The top-level field of a bulk query must be a connection.');
  }
  if (messages.length > 0 || !root) return { ok: false, messages };
  return { ok: true, plan: { operation, root, connectionFields: state.fields } };
}

function pushRuleMessages(state: State, messages: string[]): void {
  if (state.nodesFields.length > 0) {
    const first = state.nodesFields[0] ?? '';
    messages.push(
      `All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${first} { edges { node {'. ` +
        `Selecting via 'nodes' is not supported. Invalid connection fields: '${state.nodesFields.join("', '")}'.`,
    );
  }
  if (state.maxDepth > MAX_BULK_DEPTH) {
    messages.push(
      `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_BULK_DEPTH}.`,
    );
  }
  if (state.fields.size > MAX_BULK_CONNECTIONS) {
    messages.push(`Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.`);
  }
  if (state.withoutId.length > 0) {
    messages.push(
      "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. " +
        `Connection fields without 'id': ${state.withoutId.join(', ')}.`,
    );
  }
  if (state.inList)
    messages.push('Queries that contain a connection field within a list field are not currently supported.');
}

/**
 * Connections under `selectionSet`; `keyPath` runs from the enclosing node. `depth` counts nested
 * levels: the top-level connection is 0, so products > variants > inventoryLevels is 2 (allowed).
 */
function walk(
  state: State,
  type: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  keyPath: readonly string[],
  depth: number,
  underList = false,
): ConnectionPlan[] {
  const plans: ConnectionPlan[] = [];
  for (const [key, nodes] of collect(state, selectionSet)) {
    const field = nodes[0] as FieldNode;
    const def = 'getFields' in type ? type.getFields()[field.name.value] : undefined;
    if (!def) continue;
    const named = getNamedType(def.type);
    if (isConnectionType(named)) {
      plans.push(connectionPlan(state, named, nodes, [...keyPath, key], depth, underList));
    } else if ('getFields' in named) {
      const list = underList || isList(def.type);
      plans.push(...walk(state, named, merged(nodes), [...keyPath, key], depth, list));
    }
  }
  return plans;
}

function connectionPlan(
  state: State,
  type: GraphQLObjectType,
  nodes: FieldNode[],
  keyPath: readonly string[],
  depth: number,
  underList: boolean,
): ConnectionPlan {
  const field = nodes[0] as FieldNode;
  state.fields.add(field);
  state.maxDepth = Math.max(state.maxDepth, depth);
  if (underList) state.inList = true;
  const selection = collect(state, merged(nodes));
  if (selection.has('nodes')) state.nodesFields.push(field.name.value);
  const children: ConnectionPlan[] = [];
  const edges = selection.get('edges');
  const edgeType = getNamedType(type.getFields()['edges']?.type) as GraphQLCompositeType | undefined;
  if (edges && edgeType && 'getFields' in edgeType) {
    const nodeFields = collect(state, merged(edges)).get('node');
    const nodeType = getNamedType(edgeType.getFields()['node']?.type) as GraphQLCompositeType | undefined;
    if (nodeFields && nodeType) {
      children.push(...walk(state, nodeType, merged(nodeFields), [], depth + 1));
      if (children.length > 0 && !selectsPlainId(state, merged(nodeFields)))
        state.withoutId.push(field.name.value);
    }
  }
  return { keyPath, field, children };
}

function selectsPlainId(state: State, selectionSet: SelectionSetNode): boolean {
  return (collect(state, selectionSet).get('id') ?? []).some((f) => f.name.value === 'id' && !f.alias);
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function merged(nodes: FieldNode[]): SelectionSetNode {
  return { kind: Kind.SELECTION_SET, selections: nodes.flatMap((n) => n.selectionSet?.selections ?? []) };
}

/** Fields by response key, fragments expanded (type conditions are not narrowed: bulk roots are concrete). */
function collect(
  state: State,
  selectionSet: SelectionSetNode,
  out: Map<string, FieldNode[]> = new Map(),
  seen: ReadonlySet<string> = new Set(),
): Map<string, FieldNode[]> {
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) {
      const key = sel.alias?.value ?? sel.name.value;
      out.set(key, [...(out.get(key) ?? []), sel]);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      collect(state, sel.selectionSet, out, seen);
    } else if (!seen.has(sel.name.value)) {
      const fragment = state.fragments[sel.name.value];
      if (fragment) collect(state, fragment.selectionSet, out, new Set([...seen, sel.name.value]));
    }
  }
  return out;
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) out[def.name.value] = def;
  return out;
}
