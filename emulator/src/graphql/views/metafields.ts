/** Metafield and MetafieldDefinition views, and the `metafield` / `metafields` fields of their owners. */
import {
  appNamespace,
  countUnder,
  findDefinition,
  gid,
  metafieldsOf,
  UNIQUE_ELIGIBLE_TYPES,
  type MetafieldDefinitionRecord,
  type MetafieldOwnerType,
  type MetafieldRecord,
} from '../../store/index.ts';
import type { PageArgs } from '../connection.ts';
import type { ExecContext } from '../context.ts';
import { iso, legacyId, listConnection, PAGE_ARGS, rejectUnknownArgs, type View } from './common.ts';

function jsonValue(m: MetafieldRecord): unknown {
  switch (m.type) {
    case 'number_integer':
      return Number(m.value);
    case 'boolean':
      return m.value === 'true';
    case 'json':
      return JSON.parse(m.value) as unknown;
    default:
      return m.value;
  }
}

export function definitionView(ctx: ExecContext, d: MetafieldDefinitionRecord): View {
  return {
    __typename: 'MetafieldDefinition',
    id: gid('MetafieldDefinition', d.id),
    name: d.name,
    namespace: d.namespace,
    key: d.key,
    ownerType: d.ownerType,
    description: d.description,
    type: { name: d.type },
    capabilities: {
      uniqueValues: { enabled: d.uniqueValues, eligible: UNIQUE_ELIGIBLE_TYPES.has(d.type) },
    },
    pinnedPosition: null,
    validations: [],
    metafieldsCount: () => countUnder(ctx.shop, d),
  };
}

export function metafieldView(ctx: ExecContext, m: MetafieldRecord): View {
  return {
    __typename: 'Metafield',
    id: gid('Metafield', m.id),
    legacyResourceId: legacyId(m.id),
    namespace: m.namespace,
    key: m.key,
    type: m.type,
    value: m.value,
    jsonValue: () => jsonValue(m),
    ownerType: m.ownerType,
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
    definition: () => {
      const d = findDefinition(ctx.shop, m.ownerType, m.namespace, m.key);
      return d ? definitionView(ctx, d) : null;
    },
  };
}

export type MetafieldsArgs = PageArgs & {
  reverse?: boolean | null;
  namespace?: string | null;
  keys?: string[] | null;
};

export type MetafieldArgs = { namespace?: string | null; key: string };

/** `metafield(namespace:, key:)`: namespace omitted → the app's reserved one. */
export function metafieldOf(
  ctx: ExecContext,
  ownerType: MetafieldOwnerType,
  ownerId: number,
  args: MetafieldArgs,
): View | null {
  const namespace = appNamespace(ctx.appKey, args.namespace);
  const found = metafieldsOf(ctx.shop, ownerType, ownerId).find(
    (m) => m.namespace === namespace && m.key === args.key,
  );
  return found ? metafieldView(ctx, found) : null;
}

/** `metafields(first:, namespace:, keys:)`: namespace omitted → all; keys as `namespace.key`. */
export function metafieldsConnection(
  ctx: ExecContext,
  ownerType: MetafieldOwnerType,
  ownerId: number,
  args: MetafieldsArgs,
  where: string,
): View {
  rejectUnknownArgs(args, [...PAGE_ARGS, 'namespace', 'keys'], `${where}.metafields`);
  const namespace =
    args.namespace === null || args.namespace === undefined ? null : appNamespace(ctx.appKey, args.namespace);
  const keys = args.keys ? new Set(args.keys) : null;
  const list = metafieldsOf(ctx.shop, ownerType, ownerId).filter(
    (m) =>
      (namespace === null || m.namespace === namespace) &&
      (keys === null || keys.has(`${m.namespace}.${m.key}`)),
  );
  return listConnection(
    ctx,
    list,
    (m) => m.id,
    args,
    (m) => metafieldView(ctx, m),
  );
}
