import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLAbstractType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { resolveOverride, type ArgumentValues, type CostOverrideTable } from './cost-overrides.ts';

/** How one requested field is charged. `children` are merged by response key. */
export interface CostNode {
  readonly key: string;
  readonly path: readonly string[];
  readonly kind: 'leaf' | 'object' | 'connection' | 'mutation';
  readonly definedCost: number;
  readonly children: readonly CostNode[];
  readonly requestedChildrenCost: number | null;
  readonly requestedTotalCost: number;
}

export interface WalkContext {
  readonly schema: GraphQLSchema;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly overrides: CostOverrideTable;
  /** Multiplier for a connection asked for `size` items (linear: size itself). */
  readonly sizing: (size: number) => number;
}

type FieldMap = Map<string, FieldNode[]>;

export interface SelectionCost {
  readonly children: CostNode[];
  readonly cost: number;
}

/** Cost of a selection set on `parentType`; abstract types cost the most expensive possible type. */
export function costSelection(
  ctx: WalkContext,
  parentType: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  path: readonly string[],
): SelectionCost {
  if (isObjectType(parentType))
    return costFields(ctx, parentType, collect(ctx, parentType, parentType, selectionSet), path);
  const candidates = [null, ...typeConditions(ctx, parentType, selectionSet)];
  let best = 0;
  const merged = new Map<string, CostNode>();
  for (const runtime of candidates) {
    const fieldParent = runtime ?? parentType;
    const result = costFields(ctx, fieldParent, collect(ctx, runtime, parentType, selectionSet), path);
    best = Math.max(best, result.cost);
    for (const child of result.children) {
      const seen = merged.get(child.key);
      if (!seen || seen.requestedTotalCost < child.requestedTotalCost) merged.set(child.key, child);
    }
  }
  return { children: [...merged.values()], cost: best };
}

function costFields(
  ctx: WalkContext,
  parentType: GraphQLCompositeType,
  fields: FieldMap,
  path: readonly string[],
): SelectionCost {
  const children: CostNode[] = [];
  let cost = 0;
  for (const [key, nodes] of fields) {
    const node = costField(ctx, parentType, key, nodes, [...path, key]);
    children.push(node);
    cost += node.requestedTotalCost;
  }
  return { children, cost };
}

function leaf(key: string, path: readonly string[], definedCost: number): CostNode {
  return {
    key,
    path,
    kind: 'leaf',
    definedCost,
    children: [],
    requestedChildrenCost: null,
    requestedTotalCost: definedCost,
  };
}

function costField(
  ctx: WalkContext,
  parentType: GraphQLCompositeType,
  key: string,
  nodes: FieldNode[],
  path: readonly string[],
): CostNode {
  const first = nodes[0] as FieldNode;
  const name = first.name.value;
  const def = 'getFields' in parentType ? parentType.getFields()[name] : undefined;
  if (name.startsWith('__') || def === undefined) return leaf(key, path, 0);
  const args = argumentValues(def, first, ctx.variables);
  const override = resolveOverride(ctx.overrides, parentType.name, name, args);
  if (parentType === ctx.schema.getMutationType()) {
    const definedCost = override ?? 10;
    return {
      key,
      path,
      kind: 'mutation',
      definedCost,
      children: [],
      requestedChildrenCost: null,
      requestedTotalCost: definedCost,
    };
  }
  const named = getNamedType(def.type);
  if (isLeafType(named)) return leaf(key, path, override ?? 0);
  const selection = mergeSelections(nodes);
  const inner = costSelection(ctx, named as GraphQLCompositeType, selection, path);
  if (isConnectionType(named)) {
    const definedCost = override ?? 2;
    const size = connectionSize(args);
    const total = definedCost + ctx.sizing(size) * inner.cost;
    return {
      key,
      path,
      kind: 'connection',
      definedCost,
      children: inner.children,
      requestedChildrenCost: inner.cost,
      requestedTotalCost: total,
    };
  }
  const definedCost = override ?? (isFreeWrapper(parentType, name) ? 0 : 1);
  const count = isListType(getNullableType(def.type)) ? idsCount(args) : null;
  return {
    key,
    path,
    kind: 'object',
    definedCost,
    children: inner.children,
    requestedChildrenCost: inner.cost,
    requestedTotalCost: count === null ? definedCost + inner.cost : count * (definedCost + inner.cost),
  };
}

/** A list fetched by ids (`nodes(ids:)`) is charged per requested id. */
function idsCount(args: ArgumentValues): number | null {
  const ids = args['ids'];
  return Array.isArray(ids) ? ids.length : null;
}

/** A Relay connection type: `…Connection` with `edges` or `nodes`. */
export function isConnectionType(type: GraphQLNamedType): type is GraphQLObjectType {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return false;
  const fields = type.getFields();
  return 'edges' in fields || 'nodes' in fields;
}

/** `pageInfo` is free, and so is the `edges` list wrapper: each item is charged through its `node`. */
function isFreeWrapper(parentType: GraphQLCompositeType, field: string): boolean {
  return field === 'pageInfo' || (field === 'edges' && isConnectionType(parentType));
}

function connectionSize(args: ArgumentValues): number {
  const size = args['first'] ?? args['last'];
  return typeof size === 'number' && size >= 0 ? size : 1;
}

/** Arguments as execution will see them; a bad value is reported by execution, so cost falls back to none. */
function argumentValues(
  def: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Readonly<Record<string, unknown>>,
): ArgumentValues {
  try {
    return getArgumentValues(def, node, variables as Record<string, unknown>);
  } catch {
    return {};
  }
}

function mergeSelections(nodes: FieldNode[]): SelectionSetNode {
  const selections: SelectionNode[] = [];
  for (const node of nodes) if (node.selectionSet) selections.push(...node.selectionSet.selections);
  return { kind: Kind.SELECTION_SET, selections };
}

function included(ctx: WalkContext, node: SelectionNode): boolean {
  const vars = ctx.variables as Record<string, unknown>;
  if (getDirectiveValues(GraphQLSkipDirective, node, vars)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, vars)?.['if'] !== false;
}

function applies(
  ctx: WalkContext,
  condition: GraphQLNamedType | undefined,
  runtime: GraphQLObjectType | null,
  parentType: GraphQLCompositeType,
): boolean {
  if (condition === undefined) return true;
  const target = runtime ?? parentType;
  if (condition === target) return true;
  return isAbstractType(condition) && ctx.schema.isSubType(condition, target as GraphQLObjectType);
}

function collect(
  ctx: WalkContext,
  runtime: GraphQLObjectType | null,
  parentType: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  out: FieldMap = new Map(),
  seen: Set<string> = new Set(),
): FieldMap {
  for (const sel of selectionSet.selections) {
    if (!included(ctx, sel)) continue;
    if (sel.kind === Kind.FIELD) {
      const key = sel.alias?.value ?? sel.name.value;
      out.set(key, [...(out.get(key) ?? []), sel]);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const cond = sel.typeCondition ? ctx.schema.getType(sel.typeCondition.name.value) : undefined;
      if (applies(ctx, cond, runtime, parentType))
        collect(ctx, runtime, parentType, sel.selectionSet, out, seen);
    } else {
      const frag = ctx.fragments[sel.name.value];
      if (!frag || seen.has(frag.name.value)) continue;
      const cond = ctx.schema.getType(frag.typeCondition.name.value);
      if (applies(ctx, cond, runtime, parentType)) {
        collect(ctx, runtime, parentType, frag.selectionSet, out, new Set([...seen, frag.name.value]));
      }
    }
  }
  return out;
}

/** Object types named by fragments in this selection that can occur under `parentType`. */
function typeConditions(
  ctx: WalkContext,
  parentType: GraphQLAbstractType,
  selectionSet: SelectionSetNode,
  out: Set<GraphQLObjectType> = new Set(),
  seen: Set<string> = new Set(),
): Set<GraphQLObjectType> {
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) continue;
    const frag = sel.kind === Kind.FRAGMENT_SPREAD ? ctx.fragments[sel.name.value] : sel;
    if (!frag || (sel.kind === Kind.FRAGMENT_SPREAD && seen.has(sel.name.value))) continue;
    const cond = frag.typeCondition ? ctx.schema.getType(frag.typeCondition.name.value) : undefined;
    if (isObjectType(cond) && ctx.schema.isSubType(parentType, cond)) out.add(cond);
    const nextSeen = sel.kind === Kind.FRAGMENT_SPREAD ? new Set([...seen, sel.name.value]) : seen;
    typeConditions(ctx, parentType, frag.selectionSet, out, nextSeen);
  }
  return out;
}
