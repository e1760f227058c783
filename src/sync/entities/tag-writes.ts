// A record's tags pushed as deltas (issue 16, chaos seed 5 op 111: a tag a merchant added to a customer
// on Shopify between our push's read and its write was lost). customerSet's and orderUpdate's `tags`
// replace Shopify's list, so sending the merged list wrote over such a tag; Shopify's tagsRemove and
// tagsAdd change only the tags they name. They go in the same request as the record's other fields,
// after its update, so what the last one answers is what Shopify holds after all of them.
import { PermanentError } from '../../errors.ts';
import { refuseOn, type UserError } from './shopify-write.ts';

/** The tags to take off Shopify's record and to put on it. */
export interface TagDelta {
  remove: string[];
  add: string[];
}

/**
 * What makes Shopify's `read` tags into `next`, tag by tag (exact spelling): a tag in `next` only is
 * added, one in `read` only removed. Removals go first (see `tagMutations`), so a tag whose case changed
 * ends with the new spelling whether Shopify compares tags with or without case.
 */
export function tagDelta(read: readonly string[], next: readonly string[]): TagDelta {
  const had = new Set(read);
  const wanted = new Set(next);
  return { remove: read.filter((t) => !wanted.has(t)), add: next.filter((t) => !had.has(t)) };
}

export const noTagChange = (d: TagDelta): boolean => d.remove.length === 0 && d.add.length === 0;

/** One root field of a mutation document: its variables' declarations, its text, their values. */
export interface MutationPart {
  declares: string[];
  field: string;
  variables: Record<string, unknown>;
  /** Its payload in the answer: the root field's response key. */
  key: string;
}

/**
 * tagsRemove then tagsAdd on the record `id` (whichever has tags to send). Only the last asks for the
 * record (`node { ...on <type> { selection } }`): the parts before it ask only for their refusals.
 */
export function tagMutations(
  id: string,
  d: TagDelta,
  type: string,
  selection: string,
  lastAsksRecord: boolean,
): MutationPart[] {
  const parts = (
    [
      ['tagsRemove', d.remove],
      ['tagsAdd', d.add],
    ] as const
  ).filter(([, tags]) => tags.length > 0);
  return parts.map(([field, tags], i) => {
    const record = lastAsksRecord && i === parts.length - 1;
    const node = record ? `node { ... on ${type} { ${selection} } }` : 'node { id }';
    return {
      declares: [`$${field}Id: ID!`, `$${field}: [String!]!`],
      field: `${field}(id: $${field}Id, tags: $${field}) { ${node} userErrors { field message } }`,
      variables: { [`${field}Id`]: id, [field]: tags },
      key: field,
    };
  });
}

/** One mutation document of the parts, in their order (Shopify runs a document's mutations one by one). */
export function mutationDocument(
  name: string,
  parts: readonly MutationPart[],
  more: { declares: string[]; variables: Record<string, unknown> } = { declares: [], variables: {} },
): { query: string; variables: Record<string, unknown> } {
  const declares = [...parts.flatMap((p) => p.declares), ...more.declares];
  const query = `mutation ${name}(${declares.join(', ')}) {\n  ${parts.map((p) => p.field).join('\n  ')}\n}`;
  const variables = Object.assign({}, ...parts.map((p) => p.variables), more.variables) as Record<
    string,
    unknown
  >;
  return { query, variables };
}

/**
 * The requested cost of a document of `mutations` mutation fields: Shopify charges 10 for each, on top
 * of what `selectionCost` (the estimate of one mutation with its selection) counts.
 */
export const mutationsCost = (selectionCost: number, mutations: number): number =>
  Math.min(1000, selectionCost + 10 * Math.max(0, mutations - 1));

/** Every tag part's refusals throw (Shopify's words); the record the last one answered, when asked. */
export function tagAnswers(
  data: Record<string, unknown>,
  parts: readonly MutationPart[],
  what: string,
): Record<string, unknown> | undefined {
  let last: Record<string, unknown> | null | undefined;
  for (const p of parts) {
    const r = data[p.key] as { node: Record<string, unknown> | null; userErrors: UserError[] } | undefined;
    if (!r) throw new PermanentError(`Shopify answered no ${p.key} for ${what}`, 'shopify_no_answer');
    refuseOn(`${p.key} on ${what}`, r.userErrors);
    last = r.node;
  }
  if (parts.length > 0 && !last)
    throw new PermanentError(
      `Shopify's ${parts.at(-1)?.key} answered no record for ${what}`,
      'shopify_no_node',
    );
  return last ?? undefined;
}
