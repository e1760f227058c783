/**
 * Turns a validated bulk query into the document the runner executes page by page:
 * the root connection is paged with `first: $bulkPageSize, after: $bulkAfter` and gains a
 * `bulkPageInfo: pageInfo { hasNextPage endCursor }` selection; every other connection
 * loses its paging arguments (bulk mode returns all of a parent's children, as Shopify does).
 */
import {
  Kind,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { BulkQueryPlan } from './analyze-query.ts';

export const PAGE_SIZE_VARIABLE = 'bulkPageSize';
export const AFTER_VARIABLE = 'bulkAfter';
export const PAGE_INFO_KEY = 'bulkPageInfo';

const PAGING_ARGS = new Set(['first', 'last', 'after', 'before']);

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const variable = (value: string) => ({ kind: Kind.VARIABLE, name: name(value) }) as const;
const namedType = (value: string) => ({ kind: Kind.NAMED_TYPE, name: name(value) }) as const;

function withoutPaging(field: FieldNode): ArgumentNode[] {
  return (field.arguments ?? []).filter((a) => !PAGING_ARGS.has(a.name.value));
}

function pagedRoot(field: FieldNode): FieldNode {
  const args: ArgumentNode[] = [
    ...withoutPaging(field),
    { kind: Kind.ARGUMENT, name: name('first'), value: variable(PAGE_SIZE_VARIABLE) },
    { kind: Kind.ARGUMENT, name: name('after'), value: variable(AFTER_VARIABLE) },
  ];
  const pageInfo: FieldNode = {
    kind: Kind.FIELD,
    alias: name(PAGE_INFO_KEY),
    name: name('pageInfo'),
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        { kind: Kind.FIELD, name: name('hasNextPage') },
        { kind: Kind.FIELD, name: name('endCursor') },
      ],
    },
  };
  const selections = [...(field.selectionSet?.selections ?? []), pageInfo];
  return { ...field, arguments: args, selectionSet: { kind: Kind.SELECTION_SET, selections } };
}

function withPagingVariables(operation: OperationDefinitionNode): OperationDefinitionNode {
  const definitions: VariableDefinitionNode[] = [
    ...(operation.variableDefinitions ?? []),
    {
      kind: Kind.VARIABLE_DEFINITION,
      variable: variable(PAGE_SIZE_VARIABLE),
      type: { kind: Kind.NON_NULL_TYPE, type: namedType('Int') },
    },
    { kind: Kind.VARIABLE_DEFINITION, variable: variable(AFTER_VARIABLE), type: namedType('String') },
  ];
  return { ...operation, variableDefinitions: definitions };
}

/** The page document; the plan's field nodes are matched by identity, so fragments are rewritten too. */
export function pagedDocument(document: DocumentNode, plan: BulkQueryPlan): DocumentNode {
  return visit(document, {
    OperationDefinition(node) {
      return node === plan.operation ? withPagingVariables(node) : null;
    },
    Field: {
      enter(node) {
        if (node === plan.root.field) return pagedRoot(node);
        if (plan.connectionFields.has(node)) return { ...node, arguments: withoutPaging(node) };
        return undefined;
      },
    },
  });
}
