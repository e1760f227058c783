import type { GraphQLError } from 'graphql';
import type { NodeContext } from './locate-nodes.ts';
import type { ShopifyError } from './errors.ts';

type Rewrite = (
  m: RegExpExecArray,
  ctx: NodeContext,
) => { message: string; extensions: Record<string, unknown> };

/** graphql-js validation messages → graphql-ruby (Shopify) messages and codes. */
const REWRITES: [RegExp, Rewrite][] = [
  [
    /^Cannot query field "(\w+)" on type "(\w+)"\./,
    (m) => ({
      message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
      extensions: { code: 'undefinedField', typeName: m[2], fieldName: m[1] },
    }),
  ],
  [
    /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./,
    (m) => ({
      message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
      extensions: { code: 'argumentNotAccepted', name: m[3], typeName: 'Field', argumentName: m[1] },
    }),
  ],
  [
    /^Unknown argument "(\w+)" on directive "@(\w+)"\./,
    (m) => ({
      message: `Directive '${m[2]}' doesn't accept argument '${m[1]}'`,
      extensions: { code: 'argumentNotAccepted', name: m[2], typeName: 'Directive', argumentName: m[1] },
    }),
  ],
  [
    /^(Field|Directive) "@?(\w+)" argument "(\w+)" of type ".+" is required, but it was not provided\./,
    (m) => ({
      message: `${m[1]} '${m[2]}' is missing required arguments: ${m[3]}`,
      extensions: { code: 'missingRequiredArguments', className: m[1], name: m[2], arguments: m[3] },
    }),
  ],
  [
    /^Variable "\$(\w+)" of type "(.+)" used in position expecting type "(.+)"\./,
    (m, ctx) => {
      const kind = m[2]?.replace(/!$/, '') === m[3]?.replace(/!$/, '') ? 'Nullability' : 'Type';
      const argument = ctx.argumentName ?? '';
      return {
        message: `${kind} mismatch on variable $${m[1]} and argument ${argument} (${m[2]} / ${m[3]})`,
        extensions: {
          code: 'variableMismatch',
          variableName: m[1],
          typeName: m[2],
          argumentName: argument,
          errorMessage: `${kind} mismatch`,
        },
      };
    },
  ],
  [
    /^Field "(\w+)" of type "(.+)" must have a selection of subfields/,
    (m) => ({
      message: `Field must have selections (field '${m[1]}' returns ${stripBang(m[2])} but has no selections. Did you mean '${m[1]} { ... }'?)`,
      extensions: { code: 'selectionMismatch', nodeName: `field '${m[1]}'`, typeName: stripBang(m[2]) },
    }),
  ],
  [
    /^Field "(\w+)" must not have a selection since type "(.+)" has no subfields\./,
    (m, ctx) => ({
      message: `Selections can't be made on scalars (field '${m[1]}' returns ${stripBang(m[2])} but has selections [${(ctx.selections ?? []).join(', ')}])`,
      extensions: { code: 'selectionMismatch', nodeName: `field '${m[1]}'`, typeName: stripBang(m[2]) },
    }),
  ],
  [
    /^Variable "\$(\w+)" is never used/,
    (m, ctx) => ({
      message: `Variable $${m[1]} is declared by ${ctx.operationLabel} but not used`,
      extensions: { code: 'variableNotUsed', variableName: m[1] },
    }),
  ],
  [
    /^Variable "\$(\w+)" is not defined/,
    (m, ctx) => ({
      message: `Variable $${m[1]} is used by ${ctx.operationLabel} but not declared`,
      extensions: { code: 'variableNotDefined', variableName: m[1] },
    }),
  ],
  [
    /^Unknown type "(\w+)"\./,
    (m) => ({
      message: `No such type ${m[1]}, so it can't be a fragment condition`,
      extensions: { code: 'undefinedType', typeName: m[1] },
    }),
  ],
  [
    /^Unknown directive "@(\w+)"\./,
    (m) => ({
      message: `Directive @${m[1]} is not defined`,
      extensions: { code: 'undefinedDirective', directiveName: m[1] },
    }),
  ],
  [
    /^Unknown fragment "(\w+)"\./,
    (m) => ({
      message: `Fragment ${m[1]} was used, but not defined`,
      extensions: { code: 'useAndDefineFragment', fragmentName: m[1] },
    }),
  ],
  [
    /^Fragment "(\w+)" is never used\./,
    (m) => ({
      message: `Fragment ${m[1]} was defined, but not used`,
      extensions: { code: 'useAndDefineFragment', fragmentName: m[1] },
    }),
  ],
];

/** Literal-value errors of graphql-js (several wordings) → argumentLiteralsIncompatible. */
const LITERAL_ERROR =
  /cannot represent|^Expected value of type|^Field ".+" of required type|is not defined by type|^Expected type/;

function stripBang(type: string | undefined): string {
  return (type ?? '').replace(/!$/, '');
}

/** Maps one graphql-js validation error to Shopify's shape, given where its node sits. */
export function toShopifyValidationError(error: GraphQLError, ctx: NodeContext | undefined): ShopifyError {
  const here = ctx ?? { path: [], operationLabel: 'anonymous query' };
  const base: ShopifyError = { message: error.message };
  if (error.locations) base.locations = error.locations.map((l) => ({ line: l.line, column: l.column }));
  if (here.path.length > 0) base.path = here.path;
  for (const [pattern, rewrite] of REWRITES) {
    const match = pattern.exec(error.message);
    if (match) return { ...base, ...rewrite(match, here) };
  }
  if (LITERAL_ERROR.test(error.message) && here.argumentName) {
    const on = here.fieldName ?? '';
    return {
      ...base,
      message: `Argument '${here.argumentName}' on Field '${on}' has an invalid value (${here.argumentValue ?? ''}). Expected type '${here.argumentType ?? ''}'.`,
      path: here.path.slice(0, here.path.lastIndexOf(here.argumentName) + 1),
      extensions: {
        code: 'argumentLiteralsIncompatible',
        typeName: 'Field',
        argumentName: here.argumentName,
      },
    };
  }
  return { ...base, extensions: { code: 'validationError' } };
}
