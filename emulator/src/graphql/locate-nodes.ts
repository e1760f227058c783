import {
  Kind,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/** Where a node sits in a document, in graphql-ruby's terms. */
export interface NodeContext {
  /** e.g. ["query Foo", "product", "id"] */
  path: string[];
  operationLabel: string;
  fieldName?: string;
  parentTypeName?: string;
  fieldTypeName?: string;
  argumentName?: string;
  argumentType?: string;
  argumentValue?: string;
  selections?: string[];
}

/** Finds each target node's path and surrounding field/argument in one walk. */
export function locateNodes(
  schema: GraphQLSchema,
  document: DocumentNode,
  targets: Set<ASTNode>,
): Map<ASTNode, NodeContext> {
  const found = new Map<ASTNode, NodeContext>();
  const stack: string[] = [];
  const typeInfo = new TypeInfo(schema);
  let operationLabel = 'anonymous query';
  let field: { name: string; parent?: string; type?: string } | undefined;
  let argument: { name: string; type?: string; value: string } | undefined;
  const fields: { name: string; parent?: string; type?: string }[] = [];
  const push = (segment: string) => stack.push(segment);
  const pop = () => void stack.pop();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node) {
        if (node.kind === Kind.OPERATION_DEFINITION) {
          operationLabel = node.name ? `${node.operation} ${node.name.value}` : `anonymous ${node.operation}`;
          push(node.name ? `${node.operation} ${node.name.value}` : node.operation);
        } else if (node.kind === Kind.FRAGMENT_DEFINITION) {
          operationLabel = `fragment ${node.name.value}`;
          push(`fragment ${node.name.value}`);
        } else if (node.kind === Kind.FIELD) {
          const parent = typeInfo.getParentType()?.name;
          const type = typeInfo.getType();
          const entry = {
            name: node.name.value,
            ...(parent ? { parent } : {}),
            ...(type ? { type: String(type) } : {}),
          };
          fields.push(entry);
          field = entry;
          push(node.alias?.value ?? node.name.value);
        } else if (node.kind === Kind.ARGUMENT) {
          const arg = typeInfo.getArgument();
          argument = {
            name: node.name.value,
            value: print(node.value),
            ...(arg ? { type: String(arg.type) } : {}),
          };
          push(node.name.value);
        } else if (node.kind === Kind.OBJECT_FIELD) {
          push(node.name.value);
        }
        if (targets.has(node)) found.set(node, snapshot(node));
      },
      leave(node) {
        if (node.kind === Kind.FIELD) {
          fields.pop();
          field = fields[fields.length - 1];
        }
        if (node.kind === Kind.ARGUMENT) argument = undefined;
        if (
          node.kind === Kind.OPERATION_DEFINITION ||
          node.kind === Kind.FRAGMENT_DEFINITION ||
          node.kind === Kind.FIELD ||
          node.kind === Kind.ARGUMENT ||
          node.kind === Kind.OBJECT_FIELD
        ) {
          pop();
        }
      },
    }),
  );
  return found;

  function snapshot(node: ASTNode): NodeContext {
    const ctx: NodeContext = { path: [...stack], operationLabel };
    if (field) {
      ctx.fieldName = field.name;
      if (field.parent) ctx.parentTypeName = field.parent;
      if (field.type) ctx.fieldTypeName = field.type;
    }
    if (argument) {
      ctx.argumentName = argument.name;
      ctx.argumentValue = argument.value;
      if (argument.type) ctx.argumentType = argument.type;
    }
    const selectionSet =
      node.kind === Kind.FIELD ? node.selectionSet : node.kind === Kind.SELECTION_SET ? node : undefined;
    if (selectionSet) {
      ctx.selections = selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : print(s)));
    }
    return ctx;
  }
}
