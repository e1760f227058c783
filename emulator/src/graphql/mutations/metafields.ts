/**
 * Metafield definitions, metafields written by owners' mutations and by metafieldsSet, and custom ids
 * (`identifier.customId`: a metafield whose definition is of type `id`).
 */
import {
  appNamespace,
  checkMetafieldWrites,
  createMetafieldDefinition,
  effectiveType,
  findDefinition,
  hasMetafieldsUnder,
  idOf,
  METAFIELD_TYPES,
  ownerOfUniqueValue,
  UNIQUE_ELIGIBLE_TYPES,
  writeMetafields,
  type MetafieldDefinitionRecord,
  type MetafieldOwnerType,
  type MetafieldProblem,
  type MetafieldWrite,
} from '../../store/index.ts';
import { hasScope, type ExecContext } from '../context.ts';
import { accessDenied, notImplemented, requestError } from '../errors.ts';
import { definitionView, metafieldView } from '../views/metafields.ts';
import { mutation, rejectUnsupported, userError, type Input, type UserErrorData } from './common.ts';

/** The write scope an owner type's metafields need (as writing the owner does). */
const OWNER_SCOPES: Record<MetafieldOwnerType, string> = {
  PRODUCT: 'write_products',
  CUSTOMER: 'write_customers',
};

const OWNER_NAMES: Record<MetafieldOwnerType, string> = { PRODUCT: 'Product', CUSTOMER: 'Customer' };

function ownerTypeOf(raw: unknown): MetafieldOwnerType {
  if (raw === 'PRODUCT' || raw === 'CUSTOMER') return raw;
  throw notImplemented(`Metafields of owner type ${String(raw)}`);
}

/** Throws "not implemented" for a metafield type the emulator does not store. */
function requireSupportedType(type: string): void {
  if (!METAFIELD_TYPES.has(type)) throw notImplemented(`Metafield type '${type}'`);
}

/** A custom id resolved against its definition. */
export interface CustomId {
  namespace: string;
  key: string;
  value: string;
  definition: MetafieldDefinitionRecord;
}

/**
 * `identifier.customId` → its resolved namespace and definition. Shopify refuses a custom id without
 * a definition of type `id` on the owner type with a top-level NOT_FOUND error (data null).
 */
export function customIdOf(ctx: ExecContext, ownerType: MetafieldOwnerType, raw: unknown): CustomId {
  const input = raw as { namespace?: string | null; key: string; value: string };
  const namespace = appNamespace(ctx.appKey, input.namespace);
  const definition = findDefinition(ctx.shop, ownerType, namespace, input.key);
  if (!definition || definition.type !== 'id')
    throw requestError("Metafield definition of type 'id' is required when using custom ids.", 'NOT_FOUND');
  return { namespace, key: input.key, value: input.value, definition };
}

/** Owner id holding the custom id, if any. */
export function ownerOfCustomId(
  ctx: ExecContext,
  ownerType: MetafieldOwnerType,
  customId: CustomId,
): number | undefined {
  return ownerOfUniqueValue(ctx.shop, ownerType, customId.namespace, customId.key, customId.value);
}

const METAFIELD_INPUT_FIELDS = ['namespace', 'key', 'type', 'value'] as const;

/**
 * `MetafieldInput` list (productSet's `input.metafields`) → writes. `id` (update by metafield id) is
 * not emulated. A missing key or value answers the caller's error.
 */
export function metafieldInputs(
  ctx: ExecContext,
  ownerType: MetafieldOwnerType,
  ownerId: number | null,
  list: Input[],
  path: (string | number)[],
): MetafieldWrite[] | UserErrorData {
  const out: MetafieldWrite[] = [];
  for (const [i, m] of list.entries()) {
    rejectUnsupported(m, METAFIELD_INPUT_FIELDS, 'MetafieldInput');
    if (typeof m['key'] !== 'string' || m['key'] === '')
      return userError([...path, i, 'key'], "Key can't be blank", 'INVALID_METAFIELD');
    if (typeof m['value'] !== 'string')
      return userError([...path, i, 'value'], "Value can't be blank", 'INVALID_METAFIELD');
    const write: MetafieldWrite = {
      namespace: appNamespace(ctx.appKey, m['namespace'] as string | null | undefined),
      key: m['key'],
      value: m['value'],
    };
    if (typeof m['type'] === 'string') write.type = m['type'];
    const type = effectiveType(ctx.shop, ownerType, ownerId, write);
    if (type !== undefined) requireSupportedType(type);
    out.push(write);
  }
  return out;
}

/** A failed check as the owner mutation's userError (productSet's codes). */
export function productSetProblem(problem: MetafieldProblem, path: (string | number)[]): UserErrorData {
  const code = problem.kind === 'TAKEN' ? 'CAPABILITY_VIOLATION' : 'INVALID_METAFIELD';
  return userError([...path, problem.index, 'value'], problem.message, code);
}

// ---------------------------------------------------------------------------------------------------
// metafieldDefinitionCreate

const DEFINITION_FIELDS = [
  'namespace',
  'key',
  'name',
  'description',
  'type',
  'ownerType',
  'capabilities',
  'pin',
  'useAsCollectionCondition',
] as const;

const NAME_CHARS = /^[A-Za-z0-9_-]+$/;

function definitionResult(
  ctx: ExecContext,
  created: MetafieldDefinitionRecord | null,
  errors: UserErrorData[],
) {
  return { createdDefinition: created ? definitionView(ctx, created) : null, userErrors: errors };
}

/** Length and character checks of a key (2-64) or namespace (3-255), as the input documents them. */
function nameError(
  field: 'key' | 'namespace',
  value: string,
  min: number,
  max: number,
): UserErrorData | null {
  const path = ['definition', field];
  const label = field === 'key' ? 'Key' : 'Namespace';
  if (value.length < min)
    return userError(path, `${label} is too short (minimum is ${min} characters)`, 'TOO_SHORT');
  if (value.length > max)
    return userError(path, `${label} is too long (maximum is ${max} characters)`, 'TOO_LONG');
  if (!NAME_CHARS.test(value))
    return userError(path, `${label} contains one or more invalid characters.`, 'INVALID_CHARACTER');
  return null;
}

export const metafieldDefinitionCreate = mutation('metafieldDefinitionCreate', null, (args, ctx) => {
  const input = args['definition'] as Input;
  rejectUnsupported(input, DEFINITION_FIELDS, 'MetafieldDefinitionInput');
  const ownerType = ownerTypeOf(input['ownerType']);
  if (!hasScope(ctx, OWNER_SCOPES[ownerType]))
    throw accessDenied('metafieldDefinitionCreate', OWNER_SCOPES[ownerType]);
  const capabilities = (input['capabilities'] ?? {}) as Input;
  rejectUnsupported(capabilities, ['uniqueValues'], 'MetafieldCapabilityCreateInput');
  const type = String(input['type']);
  requireSupportedType(type);
  const key = String(input['key']);
  const rawNamespace = input['namespace'] as string | null | undefined;
  const namespace = appNamespace(ctx.appKey, rawNamespace);
  const nameProblem =
    nameError('key', key, 2, 64) ??
    (rawNamespace === null || rawNamespace === undefined || rawNamespace.startsWith('$app')
      ? null
      : nameError('namespace', namespace, 3, 255));
  if (nameProblem) return definitionResult(ctx, null, [nameProblem]);
  const unique = (capabilities['uniqueValues'] as { enabled: boolean } | null | undefined)?.enabled;
  // `id` requires uniqueValues and has it by default (captured answer to `enabled: false`).
  if (type === 'id' && unique === false) {
    return definitionResult(ctx, null, [
      userError(
        ['definition'],
        'Capability unique_values is required for type id but is disabled',
        'CAPABILITY_REQUIRED_BUT_DISABLED',
      ),
    ]);
  }
  if (unique === true && !UNIQUE_ELIGIBLE_TYPES.has(type))
    throw notImplemented(`uniqueValues on a definition of type '${type}'`);
  if (findDefinition(ctx.shop, ownerType, namespace, key)) {
    return definitionResult(ctx, null, [
      userError(
        ['definition', 'key'],
        `Key is in use for ${OWNER_NAMES[ownerType]} metafields on the '${namespace}' namespace.`,
        'TAKEN',
      ),
    ]);
  }
  // Shopify then validates and migrates the metafields already there; not emulated.
  if (hasMetafieldsUnder(ctx.shop, ownerType, namespace, key))
    throw notImplemented('metafieldDefinitionCreate over existing metafields');
  const created = createMetafieldDefinition(ctx.store, ctx.shop, {
    ownerType,
    namespace,
    key,
    name: String(input['name']),
    description: (input['description'] as string | null | undefined) ?? null,
    type,
    uniqueValues: type === 'id' || unique === true,
  });
  return definitionResult(ctx, created, []);
});

// ---------------------------------------------------------------------------------------------------
// metafieldsSet

const SET_INPUT_FIELDS = ['ownerId', 'namespace', 'key', 'type', 'value'] as const;

function ownerOf(ctx: ExecContext, ownerId: unknown): { ownerType: MetafieldOwnerType; id: number } | null {
  const raw = String(ownerId);
  for (const ownerType of ['PRODUCT', 'CUSTOMER'] as const) {
    const id = idOf(raw, OWNER_NAMES[ownerType]);
    if (id === null) continue;
    const exists = ownerType === 'PRODUCT' ? ctx.shop.products.has(id) : ctx.shop.customers.has(id);
    return exists ? { ownerType, id } : null;
  }
  throw notImplemented(`metafieldsSet on owner ${raw}`);
}

function setError(index: number, field: string, message: string, code: string) {
  return { field: ['metafields', String(index), field], message, code, elementIndex: null };
}

const SET_CODES: Record<MetafieldProblem['kind'], string> = {
  BLANK_VALUE: 'BLANK',
  TYPE_REQUIRED: 'BLANK',
  TYPE_MISMATCH: 'INVALID_TYPE',
  INVALID_VALUE: 'INVALID_VALUE',
  DUPLICATE: 'INVALID',
  TAKEN: 'CAPABILITY_VIOLATION',
};

/** metafieldsSet: up to 25 metafields on products and customers, all or nothing. */
export const metafieldsSet = mutation('metafieldsSet', null, (args, ctx) => {
  const list = args['metafields'] as Input[];
  const writes: (MetafieldWrite & { ownerId: number | null; ownerType: MetafieldOwnerType })[] = [];
  for (const [i, m] of list.entries()) {
    // compareDigest (including an explicit null: "must not exist yet") is not emulated.
    if ('compareDigest' in m) throw notImplemented("Input field 'compareDigest' of MetafieldsSetInput");
    rejectUnsupported(m, SET_INPUT_FIELDS, 'MetafieldsSetInput');
    const owner = ownerOf(ctx, m['ownerId']);
    if (owner === null)
      return { metafields: null, userErrors: [setError(i, 'ownerId', 'Owner does not exist.', 'INVALID')] };
    if (!hasScope(ctx, OWNER_SCOPES[owner.ownerType]))
      throw accessDenied('metafieldsSet', OWNER_SCOPES[owner.ownerType]);
    const write = {
      ownerId: owner.id,
      ownerType: owner.ownerType,
      namespace: appNamespace(ctx.appKey, m['namespace'] as string | null | undefined),
      key: String(m['key']),
      value: String(m['value']),
      ...(typeof m['type'] === 'string' ? { type: m['type'] } : {}),
    };
    const type = effectiveType(ctx.shop, owner.ownerType, owner.id, write);
    if (type !== undefined) requireSupportedType(type);
    writes.push(write);
  }
  if (writes.length > 25) throw notImplemented('metafieldsSet with more than 25 metafields');
  for (const ownerType of ['PRODUCT', 'CUSTOMER'] as const) {
    const mine = writes.map((w, i) => ({ w, i })).filter((x) => x.w.ownerType === ownerType);
    const problem = checkMetafieldWrites(
      ctx.shop,
      ownerType,
      mine.map((x) => x.w),
    );
    if (problem) {
      const index = mine[problem.index]?.i ?? 0;
      const field = problem.kind === 'TYPE_REQUIRED' || problem.kind === 'TYPE_MISMATCH' ? 'type' : 'value';
      return {
        metafields: null,
        userErrors: [setError(index, field, problem.message, SET_CODES[problem.kind])],
      };
    }
  }
  const written = writes.map(
    (w) => writeMetafields(ctx.store, ctx.shop, w.ownerType, w.ownerId as number, [w], false)[0],
  );
  return { metafields: written.flatMap((m) => (m ? [metafieldView(ctx, m)] : [])), userErrors: [] };
});
